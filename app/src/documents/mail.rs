//! Outgoing e-mail through lettre: SMTP when a host is configured, otherwise `.eml` files in a
//! local outbox folder (the development default).

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a local relay or a test sink).
    None,
    /// STARTTLS required (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Wrapper,
}

impl SmtpTls {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "none" | "off" | "plain" => Some(SmtpTls::None),
            "starttls" | "required" => Some(SmtpTls::StartTls),
            "tls" | "wrapper" | "smtps" => Some(SmtpTls::Wrapper),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub user: Option<String>,
    pub password: Option<String>,
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub smtp: Option<SmtpSettings>,
    /// Where messages go when no SMTP host is set.
    pub outbox: PathBuf,
    /// The `From` address, e.g. `Comptoir <factures@example.fr>`.
    pub from: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("adresse d'expéditeur invalide : {0}")]
    Sender(String),
    #[error("configuration SMTP invalide : {0}")]
    Config(String),
    #[error("dossier d'envoi {0} inutilisable : {1}")]
    Outbox(String, String),
    #[error("destinataire invalide")]
    Recipient,
    #[error("message impossible à composer : {0}")]
    Compose(String),
    #[error("le serveur de messagerie a refusé le message : {0}")]
    Refused(String),
    #[error("le serveur de messagerie est injoignable : {0}")]
    Unreachable(String),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Outbox(_, dir) => format!("outbox {}", dir.display()),
        };
        f.debug_struct("Mailer")
            .field("transport", &kind)
            .field("from", &self.from.to_string())
            .finish()
    }
}

/// Where a message went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `smtp` or `outbox`.
    pub transport: &'static str,
    /// The SMTP server's answer, or the `.eml` file written.
    pub detail: String,
}

/// One message with a PDF attached.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub reply_to: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
    pub attachment_name: &'a str,
    pub attachment: Vec<u8>,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Result<Self, MailError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|_| MailError::Sender(settings.from.clone()))?;
        let transport = match &settings.smtp {
            Some(smtp) => {
                let config = |e: lettre::transport::smtp::Error| MailError::Config(e.to_string());
                let builder = match smtp.tls {
                    SmtpTls::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                    SmtpTls::StartTls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                            .map_err(config)?
                    }
                    SmtpTls::Wrapper => {
                        AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(config)?
                    }
                };
                let mut builder = builder.port(smtp.port).timeout(Some(smtp.timeout));
                if let Some(user) = &smtp.user {
                    builder = builder.credentials(Credentials::new(
                        user.clone(),
                        smtp.password.clone().unwrap_or_default(),
                    ));
                }
                Transport::Smtp(builder.build())
            }
            None => {
                std::fs::create_dir_all(&settings.outbox).map_err(|e| {
                    MailError::Outbox(settings.outbox.display().to_string(), e.to_string())
                })?;
                Transport::Outbox(
                    AsyncFileTransport::<Tokio1Executor>::new(&settings.outbox),
                    settings.outbox.clone(),
                )
            }
        };
        Ok(Mailer { transport, from })
    }

    /// `smtp` or `outbox`.
    pub fn transport_name(&self) -> &'static str {
        match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Outbox(..) => "outbox",
        }
    }

    /// Composes the message (text body, PDF attachment) without sending it; returns it with its
    /// `Message-ID`, so the send can be recorded before it happens.
    pub fn compose(&self, mail: &Outgoing<'_>) -> Result<(Message, String), MailError> {
        use rand::Rng;
        let to: Mailbox = mail.to.parse().map_err(|_| MailError::Recipient)?;
        let domain = self.from.email.domain().to_owned();
        let message_id = format!("<{:032x}@{domain}>", rand::thread_rng().r#gen::<u128>());
        let mut builder = Message::builder()
            .message_id(Some(message_id.clone()))
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject);
        if let Some(reply_to) = mail.reply_to.and_then(|r| r.parse::<Mailbox>().ok()) {
            builder = builder.reply_to(reply_to);
        }
        let pdf =
            ContentType::parse("application/pdf").map_err(|e| MailError::Compose(e.to_string()))?;
        let message = builder
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(mail.body.to_owned()))
                    .singlepart(
                        Attachment::new(mail.attachment_name.to_owned())
                            .body(mail.attachment.clone(), pdf),
                    ),
            )
            .map_err(|e| MailError::Compose(e.to_string()))?;
        Ok((message, message_id))
    }

    pub async fn send(&self, mail: &Outgoing<'_>) -> Result<Delivery, MailError> {
        let (message, _) = self.compose(mail)?;
        self.deliver(message).await
    }

    pub async fn deliver(&self, message: Message) -> Result<Delivery, MailError> {
        match &self.transport {
            Transport::Smtp(smtp) => match smtp.send(message).await {
                Ok(response) => Ok(Delivery {
                    transport: "smtp",
                    detail: response.message().collect::<Vec<_>>().join(" "),
                }),
                Err(e) if e.is_permanent() || e.is_transient() => {
                    Err(MailError::Refused(e.to_string()))
                }
                Err(e) => Err(MailError::Unreachable(e.to_string())),
            },
            Transport::Outbox(files, dir) => {
                let id = files
                    .send(message)
                    .await
                    .map_err(|e| MailError::Outbox(dir.display().to_string(), e.to_string()))?;
                let path = dir.join(format!("{id}.eml"));
                tracing::info!(path = %path.display(), "e-mail written to the outbox");
                Ok(Delivery {
                    transport: "outbox",
                    detail: path.display().to_string(),
                })
            }
        }
    }
}
