import nodemailer from 'nodemailer';
import { DeliveryError } from './delivery-error.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Throws DeliveryError; `permanent` when the server refused for good (5xx). */
  send(mail: Mail): Promise<void>;
}

interface SmtpFailure {
  responseCode?: number;
  code?: string;
  response?: string;
}

/** SMTP through nodemailer; the message body never reaches logs or stored errors. */
export function createSmtpMailer(opts: { smtpUrl: string; from: string; timeoutMs?: number }): Mailer {
  const timeout = opts.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from: opts.from, ...mail });
      } catch (err) {
        const f = (err ?? {}) as SmtpFailure;
        const code = f.responseCode;
        // 5xx is the server's final answer (unknown mailbox, policy); 4xx and network errors may pass later.
        const permanent = code !== undefined && code >= 500 && code < 600;
        const detail = f.response ? f.response.slice(0, 200) : (f.code ?? 'connection failed');
        throw new DeliveryError(`smtp ${code ?? 'error'}: ${detail}`, permanent);
      }
    },
  };
}
