/**
 * Outgoing email through nodemailer, only when `SMTP_URL` is set. Mail is sent after the
 * transaction whose facts it reports has committed: a lost email never undoes a notification.
 */
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailer(settings: { smtpUrl: string | null; from: string }): Mailer | null {
  if (!settings.smtpUrl) return null;
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    send: async (message) => {
      await transport.sendMail({ from: settings.from, ...message });
    },
    close: () => transport.close(),
  };
}
