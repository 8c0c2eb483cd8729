import { createContext, useContext } from 'react';
import type { Campaign, User } from './api/schemas.js';

/** What every page may read: who is signed in and their campaigns (the sidebar and filters use them). */
export interface AppData {
  user: User;
  campaigns: Campaign[] | undefined;
  reloadCampaigns: () => void;
  signOut: () => void;
}

export const AppContext = createContext<AppData | null>(null);

export function useApp(): AppData {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp outside <AppContext>');
  return v;
}
