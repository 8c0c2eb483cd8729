/**
 * A form POST to Reddit's OAuth endpoints (access_token, revoke_token), authenticated as the
 * app with HTTP Basic; installed apps have no secret and send an empty one.
 */
export function appFormRequest(
  app: { clientId: string; clientSecret?: string | undefined; userAgent: string },
  form: URLSearchParams,
): RequestInit {
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret ?? ''}`).toString('base64');
  return {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': app.userAgent,
    },
    body: form.toString(),
  };
}
