import { request } from './client.js';
import { apiKeyListSchema, apiKeySchema, channelListSchema, channelSchema, redditAccountListSchema, systemStatusSchema } from './schemas.js';

export const listApiKeys = () => request('/api-keys', { schema: apiKeyListSchema });
/** The answer carries the whole key once; it is never shown again. */
export const createApiKey = (name: string) => request('/api-keys', { method: 'POST', body: { name }, schema: apiKeySchema });
export const revokeApiKey = (id: string) => request(`/api-keys/${id}`, { method: 'DELETE' });

export const listChannels = () => request('/notification-channels', { schema: channelListSchema });
export const createChannel = (body: { kind: string; target: string; mode: string; minScore?: number }) =>
  request('/notification-channels', { method: 'POST', body, schema: channelSchema });
export const deleteChannel = (id: string) => request(`/notification-channels/${id}`, { method: 'DELETE' });

export const listRedditAccounts = () => request('/reddit-accounts', { schema: redditAccountListSchema });
export const disconnectRedditAccount = (id: string) => request(`/reddit-accounts/${id}`, { method: 'DELETE' });
/** Starts Reddit's OAuth consent; the server redirects back to /settings. */
export const CONNECT_REDDIT_URL = '/api/v1/reddit-accounts/connect';

export const getSystemStatus = () => request('/admin/status', { schema: systemStatusSchema });
