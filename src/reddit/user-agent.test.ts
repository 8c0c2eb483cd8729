import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/env.js';
import { parseUserAgent, requireUserAgent } from './user-agent.js';

describe('Reddit User-Agent rule', () => {
  it('when the agent follows <platform>:<app id>:<version> (by /u/<name>), then its parts are read', () => {
    expect(parseUserAgent('web:com.example.subscout:v0.1.0 (by /u/some_dev)')).toEqual({
      platform: 'web',
      appId: 'com.example.subscout',
      version: 'v0.1.0',
      username: 'some_dev',
    });
    expect(requireUserAgent(' linux:subscout:1.2 (by /u/abc) ')).toBe('linux:subscout:1.2 (by /u/abc)');
  });

  it('when the agent is missing or generic, then a ConfigError names REDDIT_USER_AGENT', () => {
    for (const bad of [undefined, '', 'Mozilla/5.0 (X11; Linux x86_64)', 'subscout/1.0', 'web:subscout:1.0 (by u/x)']) {
      expect(() => requireUserAgent(bad)).toThrow(ConfigError);
      expect(() => requireUserAgent(bad)).toThrow(/REDDIT_USER_AGENT/);
    }
  });
});
