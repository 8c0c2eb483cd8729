import { ConfigError } from '../config/env.js';

// Reddit's rule: <platform>:<app id>:<version> (by /u/<username>). Generic agents are throttled.
const USER_AGENT = /^([A-Za-z0-9._-]+):([A-Za-z0-9._-]+):(v?[0-9A-Za-z._-]+) \(by \/u\/([A-Za-z0-9_-]{3,20})\)$/;

export interface UserAgentParts {
  platform: string;
  appId: string;
  version: string;
  username: string;
}

export function parseUserAgent(value: string): UserAgentParts | null {
  const m = USER_AGENT.exec(value.trim());
  if (!m) return null;
  return { platform: m[1]!, appId: m[2]!, version: m[3]!, username: m[4]! };
}

/** Returns the agent unchanged, or throws a ConfigError naming REDDIT_USER_AGENT. */
export function requireUserAgent(value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(
      'REDDIT_USER_AGENT: required for the Reddit source, in the form "<platform>:<app id>:<version> (by /u/<username>)", e.g. "web:com.example.subscout:0.1.0 (by /u/yourname)"',
    );
  }
  if (!parseUserAgent(value)) {
    throw new ConfigError(
      `REDDIT_USER_AGENT: "${value.slice(0, 80)}" does not follow "<platform>:<app id>:<version> (by /u/<username>)", e.g. "web:com.example.subscout:0.1.0 (by /u/yourname)"`,
    );
  }
  return value.trim();
}
