import type { CampaignServiceDeps } from '../modules/campaigns/campaigns.service.js';
import type { LeadDraftWriter } from '../modules/leads/leads.types.js';
import { previewRules } from '../modules/matching/preview.service.js';
import type { DraftWriter } from '../modules/replies/drafts.js';
import type { Db } from '../platform/db/client.js';

const EXCERPT_CHARS = 280;

/** The campaigns API's rule preview, served by the matching module over recent stored items. */
export function previewForCampaigns(db: Db): NonNullable<CampaignServiceDeps['previewRules']> {
  return async (_userId, input) => {
    const result = await previewRules(
      { db },
      {
        rules: input.rules,
        negativeKeywords: input.negative_keywords,
        subreddits: input.subreddits,
        subredditDeny: input.subreddit_deny,
        authorDeny: input.author_deny,
        minScore: input.min_score,
        includeNsfw: input.include_nsfw,
      },
      { maxMatches: input.limit },
    );
    return {
      scanned: result.scanned,
      matches: result.matches.map(({ item, matchedTerms }) => ({
        fullname: item.fullname,
        kind: item.kind,
        subreddit: item.subreddit,
        author: item.author,
        title: item.title,
        excerpt: item.body.length > EXCERPT_CHARS ? `${item.body.slice(0, EXCERPT_CHARS)}...` : item.body,
        permalink: item.permalink,
        created_utc: item.createdUtc.toISOString(),
        matched_terms: matchedTerms,
      })),
    };
  };
}

/** The leads API's draft endpoint, written by the replies module's writer with the configured disclosure. */
export function draftWriterForLeads(writer: DraftWriter, disclosure: string): LeadDraftWriter {
  return {
    async draft(request) {
      const draft = await writer.draft({
        item: {
          kind: request.item.kind,
          subreddit: request.item.subreddit,
          title: request.item.title,
          body: request.item.body,
        },
        campaign: {
          id: request.campaignId,
          productName: request.product.name,
          productDescription: request.product.description,
          productUrl: request.product.url,
        },
        disclosure,
      });
      return { text: draft.text, draftedBy: draft.draftedBy };
    },
  };
}
