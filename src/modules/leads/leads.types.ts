import type { replies } from '../../platform/db/schema.js';

export type Reply = typeof replies.$inferSelect;

/** What the API gives the reply-draft writer for one lead. */
export interface LeadDraftRequest {
  userId: string;
  leadId: string;
  campaignId: string;
  product: { name: string; description: string; url: string | null };
  item: {
    fullname: string;
    kind: 'post' | 'comment';
    subreddit: string;
    author: string;
    title: string;
    body: string;
    permalink: string;
  };
  intent: string | null;
  reasons: string[];
  instructions?: string;
}

/** The port the replies module's writer is adapted to; it records its own AI usage. */
export interface LeadDraftWriter {
  draft(request: LeadDraftRequest): Promise<{ text: string; draftedBy: string }>;
}
