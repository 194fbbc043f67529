//! Every server function, walked with hostile input: bodies that are not UTF-8, empty, too large
//! or oddly shaped, and each field set to values that break naive parsing. Whatever arrives,
//! the server must answer, never with a server error, never by panicking or logging an error.
//! The list of functions comes from the server_fn registry, so a new function cannot be left out.

use crate::common::{CapturedLog, TestApp, location};
use app::error::AppError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::{ContentType, Http, ServerFn};
use reqwest::Client;
use reqwest::header::{ACCEPT, CONTENT_TYPE, REFERER};
use serde::de::DeserializeOwned;
use sqlx::PgPool;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::thread::ThreadId;

const ADMIN: &str = "admin@agence.test";
const ACCOUNTANT: &str = "compta@a.test";
const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";
/// What server_fn reads of a body (axum's default limit); the body guard refuses more.
const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// Past every text limit of the app and PostgreSQL's btree entry (~2.7 kB), within the body limit.
const OVERSIZE: usize = 300_000;
/// Failures listed in the report (the count says how many there were in all).
const SHOWN: usize = 60;

/// Values that break naive parsing: numbers out of range or not numbers, NUL (PostgreSQL refuses
/// it in text), multi-byte characters where byte slicing would panic, a direction override.
const VALUES: &[&str] = &[
    "",
    "x",
    "-1",
    "0.5",
    "9223372036854775808",
    "1e309",
    "NaN",
    "\0",
    "é€ß",
    "5,aé",
    "A€BC",
    "\u{202e}",
    " ",
];

/// Odd shapes for a field `{f}`: a list or a map where a value is expected, a repeated key, bad
/// percent-encoding, and nesting deeper than serde_qs reads (5).
const SHAPES: &[&str] = &[
    "{f}[]=1",
    "{f}[x]=1",
    "{f}[0][0]=1",
    "{f}=1&{f}=2",
    "{f}=%FF",
    "{f}=%",
    "{f}=%E2%82",
    "{f}[a][b][c][d][e][f]=1",
];

/// `VALUES` and two long multi-byte texts, for code that cuts a text at a byte index: the first
/// has character boundaries at multiples of 3, the second at 2 more than those, so a cut at
/// one of the usual limits (32, 100, 120, 255, 2000…) panics on one of them.
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = VALUES.iter().map(|v| v.to_string()).collect();
    values.push("€".repeat(1000));
    values.push(format!("é{}", "€".repeat(1000)));
    values
}

/// A value as a failure message shows it (long ones abridged).
fn shown(value: &str) -> String {
    if value.len() > 40 {
        let start: String = value.chars().take(8).collect();
        format!("{start:?}… ({} chars)", value.chars().count())
    } else {
        format!("{value:?}")
    }
}

/// How a leaf field is read, which decides its plausible value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    Text,
    Number,
    Flag,
}

impl Kind {
    /// A value that gets past parsing (an id, a short text, a ticked box), so that one hostile
    /// field among plausible ones reaches the checks behind the first.
    fn plausible(self) -> &'static str {
        match self {
            Kind::Flag => "true",
            Kind::Text | Kind::Number => "1",
        }
    }
}

/// A field as the body names it: `name`, `fields[title]`, `fields[lines][0][description]`.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) kind: Kind,
}

/// Who a server function lets in: the decision its first line makes (`Ctx::require`), which
/// `authorisation.rs` proves for every function.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Access {
    /// No sign-in needed (each one says why in the table).
    Anyone,
    /// Any signed-in user, within their organisation.
    SignedIn,
    /// Admins and accountants (`Role::BOOKKEEPING`).
    Bookkeeping,
    /// The agency's admins only.
    Admin,
}

/// One server function as the walker posts to it.
pub(crate) struct Target {
    pub(crate) access: Access,
    pub(crate) path: &'static str,
    content_type: &'static str,
    fields: Vec<Field>,
}

impl Target {
    /// A form-encoded body with every field: the value `set` gives it, or a plausible one.
    pub(crate) fn body(&self, set: impl Fn(&Field) -> Option<String>) -> String {
        let mut url = reqwest::Url::parse("http://x/").expect("url");
        url.query_pairs_mut()
            .extend_pairs(self.fields.iter().map(|f| {
                let value = set(f).unwrap_or_else(|| f.kind.plausible().to_owned());
                (f.name.clone(), value)
            }));
        url.query().unwrap_or_default().to_owned()
    }

    /// Every field in one raw shape (`{f}` stands for the field's name).
    fn shaped(&self, shape: &str) -> String {
        let pairs: Vec<String> = self
            .fields
            .iter()
            .map(|f| shape.replace("{f}", &f.name))
            .collect();
        pairs.join("&")
    }
}

/// The input encoding of a server function's protocol (the registry does not expose it).
trait InputEncoding {
    const CONTENT_TYPE: &'static str;
}

impl<I: ContentType, O> InputEncoding for Http<I, O> {
    const CONTENT_TYPE: &'static str = I::CONTENT_TYPE;
}

fn target<S>(access: Access) -> Target
where
    S: ServerFn + DeserializeOwned,
    S::Protocol: InputEncoding,
{
    Target {
        access,
        path: S::PATH,
        content_type: <S::Protocol as InputEncoding>::CONTENT_TYPE,
        fields: fields::of::<S>(),
    }
}

macro_rules! targets {
    ($($t:ty => $access:ident),* $(,)?) => { vec![$(target::<$t>(Access::$access)),*] };
}

/// Every server function of the app, by its argument struct (the `#[server]` macro names it
/// after the function, in PascalCase). `every_server_function_is_listed_and_posts_a_form` fails
/// when one is missing here; each says who it lets in.
pub(crate) fn every_server_function() -> Vec<Target> {
    use app::{accounts, alerts, auth, counters, documents, invoicing, maintenance, ui};
    targets![
        accounts::server::CreateAccount => Admin,
        accounts::server::CreateOrganisation => Admin,
        accounts::server::DeleteOwnAccount => SignedIn,
        accounts::server::ListAccounts => Bookkeeping,
        accounts::server::ListOrganisations => SignedIn,
        accounts::server::SetAccountDisabled => Admin,
        alerts::server::AlertDetail => Admin,
        alerts::server::AlertSchedule => Admin,
        alerts::server::ConfirmAlert => SignedIn,
        alerts::server::DeleteAlert => Admin,
        alerts::server::DeleteAlertSchedule => Admin,
        alerts::server::ListAlertSchedules => Admin,
        alerts::server::ListAlerts => Admin,
        alerts::server::PendingAlerts => SignedIn,
        alerts::server::PreviewAlertSchedule => Admin,
        alerts::server::SaveAlert => Admin,
        alerts::server::SaveAlertSchedule => Admin,
        auth::server::ChangePassword => SignedIn,
        // The function says "nobody" to an anonymous caller; the sign-in check refuses them first.
        auth::server::CurrentUser => SignedIn,
        counters::dashboard::AcknowledgeCounterAlert => SignedIn,
        counters::dashboard::CounterAlerts => SignedIn,
        counters::dashboard::CountersDashboard => SignedIn,
        counters::dashboard::DashboardSites => SignedIn,
        counters::dashboard::ShopHistory => SignedIn,
        counters::server::CountImport => Admin,
        counters::server::CreateApiToken => Admin,
        counters::server::CreateStoreGroup => Admin,
        counters::server::DeleteSite => Admin,
        counters::server::DeleteStoreGroup => Admin,
        counters::server::GetSite => Admin,
        counters::server::ListApiTokens => Admin,
        counters::server::ListCountImports => Admin,
        counters::server::ListSites => Admin,
        counters::server::ListStoreGroups => SignedIn,
        counters::server::RenameStoreGroup => Admin,
        counters::server::RevokeApiToken => Admin,
        counters::server::SaveSite => Admin,
        counters::server::SetSiteGroups => Admin,
        counters::server::SetSiteOperational => Admin,
        counters::server::SiteEditor => Admin,
        documents::server::EmailDraft => Bookkeeping,
        documents::server::SendDocument => Bookkeeping,
        invoicing::server::ArticleChoices => Bookkeeping,
        invoicing::server::ContactChoices => Bookkeeping,
        invoicing::server::ConvertQuote => Bookkeeping,
        invoicing::server::DeleteContact => Bookkeeping,
        invoicing::server::DeleteContactGroup => Bookkeeping,
        invoicing::server::DeleteDraft => Bookkeeping,
        invoicing::server::DeleteSellerProfile => Bookkeeping,
        invoicing::server::DocumentAction => Bookkeeping,
        invoicing::server::DraftCreditNote => Bookkeeping,
        invoicing::server::EditorStart => Bookkeeping,
        invoicing::server::GetArticle => Bookkeeping,
        invoicing::server::GetContact => Bookkeeping,
        invoicing::server::GetDocument => Bookkeeping,
        invoicing::server::InvoicingDashboard => Bookkeeping,
        invoicing::server::ListArticles => Bookkeeping,
        invoicing::server::ListContactGroups => Bookkeeping,
        invoicing::server::ListContacts => Bookkeeping,
        invoicing::server::ListDocuments => Bookkeeping,
        invoicing::server::ListPayments => Bookkeeping,
        invoicing::server::RecordPayment => Bookkeeping,
        invoicing::server::RecordRefund => Bookkeeping,
        invoicing::server::RemoveSellerLogo => Bookkeeping,
        invoicing::server::SaveArticle => Bookkeeping,
        invoicing::server::SaveContact => Bookkeeping,
        invoicing::server::SaveContactGroup => Bookkeeping,
        invoicing::server::SaveDocument => Bookkeeping,
        invoicing::server::SaveSellerProfile => Bookkeeping,
        invoicing::server::SellerLogo => Bookkeeping,
        invoicing::server::SellerProfile => Bookkeeping,
        invoicing::server::SetArticleActive => Bookkeeping,
        maintenance::server::EndMaintenance => Admin,
        maintenance::server::ListMaintenanceWindows => Admin,
        maintenance::server::MaintenanceNotice => SignedIn,
        maintenance::server::ScheduleMaintenance => Admin,
        maintenance::server::StartMaintenance => Admin,
        // The flash lives in the session: a page that has just signed out takes it too.
        ui::flash::TakeFlash => Anyone,
    ]
}

use crate::server_fn_fields as fields;

/// The table and the registry list the same functions, all posted as forms: the body guard
/// (`guard_server_fn_bodies` in app/src/ui/request_body.rs) reads every server function's body as UTF-8 text.
#[test]
fn every_server_function_is_listed_and_posts_a_form() {
    let targets = every_server_function();
    let registered: BTreeMap<&'static str, String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path, method.as_str().to_owned()))
        .collect();
    let listed: BTreeSet<&'static str> = targets.iter().map(|t| t.path).collect();
    assert_eq!(listed.len(), targets.len(), "a function is listed twice");
    let unlisted: Vec<&str> = registered
        .keys()
        .copied()
        .filter(|p| !listed.contains(p))
        .collect();
    assert!(
        unlisted.is_empty(),
        "server functions missing from every_server_function() (add their argument struct): \
         {unlisted:?}"
    );
    let gone: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|p| !registered.contains_key(p))
        .collect();
    assert!(gone.is_empty(), "listed but not registered: {gone:?}");
    for (path, method) in &registered {
        assert_eq!(
            method, "POST",
            "{path}: the walker and the body guard expect POST"
        );
    }
    for t in &targets {
        assert_eq!(
            t.content_type, FORM_URLENCODED,
            "{}: the body guard (app/src/ui/request_body.rs, guard_server_fn_bodies) reads server-function \
             bodies as UTF-8 text: teach it this encoding, then the walker",
            t.path
        );
    }
    // The recorder found the nested fields (a check on the recorder itself).
    let save_document = targets
        .iter()
        .find(|t| t.path.ends_with("/save_document"))
        .expect("save_document");
    let names: Vec<&str> = save_document
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert!(
        names.contains(&"fields[lines][0][description]") && names.contains(&"picked[0]"),
        "{names:?}"
    );
}

/// Who walks: the passes run in this order.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Pass {
    /// Before any case can open a maintenance window; nearly every answer is 401.
    Anonymous,
    /// The widest access: every function runs its checks.
    Admin,
    /// Organisation-scoped guards.
    Accountant,
}

impl Pass {
    fn email(self) -> Option<&'static str> {
        match self {
            Pass::Anonymous => None,
            Pass::Admin => Some(ADMIN),
            Pass::Accountant => Some(ACCOUNTANT),
        }
    }
}

/// How the call is made: by the app's script (JSON answers) or by a form posted without
/// JavaScript (answered with a redirect back to its page).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Script,
    Form,
}

const BOTH: &[Caller] = &[Caller::Script, Caller::Form];
const SCRIPT: &[Caller] = &[Caller::Script];

#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Any answer but a server error.
    Answer,
    /// Refused before the function runs: this status and `AppError` variant to a script; to a
    /// plain form, a redirect carrying the variant in `__err` (or the status itself).
    Refused(u16, &'static str),
}

struct Case {
    what: String,
    caller: Caller,
    body: Vec<u8>,
    expect: Expect,
}

struct Cases(Vec<Case>);

impl Cases {
    fn add(&mut self, callers: &[Caller], what: String, body: Vec<u8>, expect: Expect) {
        for &caller in callers {
            self.0.push(Case {
                what: what.clone(),
                caller,
                body: body.clone(),
                expect,
            });
        }
    }
}

/// The cases of one function for one pass. The form caller gets the cases where the refused
/// input is kept in the session and the error goes back in the URL; the script gets the rest.
fn cases(target: &Target, pass: Pass) -> Vec<Case> {
    let mut cases = Cases(Vec::new());
    // Anonymous calls may meet the sign-in check before the body guard or after it: only
    // "no server error" is asked of them.
    let signed_in = pass != Pass::Anonymous;
    let refused = |status, variant| {
        if signed_in {
            Expect::Refused(status, variant)
        } else {
            Expect::Answer
        }
    };
    let plausible = target.body(|_| None);

    cases.add(
        BOTH,
        "a body that is not UTF-8".into(),
        b"\xff\xfe".to_vec(),
        refused(400, "BadRequest"),
    );
    let mut tail = plausible.clone().into_bytes();
    tail.extend_from_slice(b"&x=\xc3\x28");
    cases.add(
        SCRIPT,
        "plausible fields, then bytes that are not UTF-8".into(),
        tail,
        refused(400, "BadRequest"),
    );
    // The guard does not depend on who calls: one pass is enough for the heaviest case.
    if pass == Pass::Admin {
        let mut huge = b"zz=".to_vec();
        huge.resize(BODY_LIMIT + BODY_LIMIT / 2, b'a');
        cases.add(BOTH, "a 3 MiB body".into(), huge, refused(413, "TooLarge"));
    }
    cases.add(BOTH, "an empty body".into(), Vec::new(), Expect::Answer);
    cases.add(
        BOTH,
        "plausible fields".into(),
        plausible.clone().into_bytes(),
        Expect::Answer,
    );
    if pass == Pass::Anonymous {
        return cases.0;
    }
    let extra = format!("{plausible}&zz=1&zz[a][b]=2&__path=x");
    cases.add(
        BOTH,
        "unknown fields too".into(),
        extra.into_bytes(),
        Expect::Answer,
    );
    if target.fields.is_empty() {
        return cases.0;
    }

    let admin = pass == Pass::Admin;
    let values = hostile_values();
    for v in &values {
        if admin {
            let body = target.body(|_| Some(v.clone()));
            let what = format!("every field = {}", shown(v));
            cases.add(BOTH, what, body.into_bytes(), Expect::Answer);
        }
        // Ids stay plausible, so each text reaches the function's own checks.
        let body = target.body(|f| (f.kind == Kind::Text).then(|| v.clone()));
        let what = format!("every text field = {}", shown(v));
        cases.add(SCRIPT, what, body.into_bytes(), Expect::Answer);
    }
    if !admin {
        return cases.0;
    }
    for shape in SHAPES {
        let what = format!("every field as {shape}");
        cases.add(
            SCRIPT,
            what,
            target.shaped(shape).into_bytes(),
            Expect::Answer,
        );
    }
    // One text at a time, the others plausible: reaches the checks behind the first one that
    // refuses (a function checks its fields in turn).
    let oversize = "a".repeat(OVERSIZE);
    for field in target.fields.iter().filter(|f| f.kind == Kind::Text) {
        for v in values.iter().chain([&oversize]) {
            let body = target.body(|f| (f.name == field.name).then(|| v.clone()));
            let what = format!("{} = {}", field.name, shown(v));
            cases.add(SCRIPT, what, body.into_bytes(), Expect::Answer);
        }
    }
    cases.0
}

/// Posts one case and judges the answer; `Err` says what is wrong.
async fn send(app: &TestApp, client: &Client, path: &str, case: &Case) -> Result<(), String> {
    let post = || {
        let request = client
            .post(app.url(path))
            .header(CONTENT_TYPE, FORM_URLENCODED)
            .body(case.body.clone());
        let request = match case.caller {
            Caller::Script => request.header(ACCEPT, "application/json"),
            Caller::Form => request
                .header(ACCEPT, "text/html,application/xhtml+xml")
                .header(REFERER, app.url("/")),
        };
        request.send()
    };
    let mut answer = post().await;
    if answer.is_err() && case.body.len() > BODY_LIMIT {
        // The server may close the connection on a body it refused before the client has
        // written it all; a second try tells that race from a crash.
        answer = post().await;
    }
    let resp = answer.map_err(|e| format!("no answer ({e}): did the server panic?"))?;
    let status = resp.status();
    let to = location(&resp);
    let text = resp.text().await.unwrap_or_default();
    let fail = |why: &str| {
        let start: String = text.chars().take(300).collect();
        Err(format!("{why}; got {status} {to} {start:?}"))
    };

    if status.is_server_error() {
        return fail("a server error");
    }
    match case.caller {
        Caller::Script => {
            if let Expect::Refused(code, name) = case.expect {
                let error = serde_json::from_str::<serde_json::Value>(&text).unwrap_or_default();
                if status.as_u16() != code || variant(&error) != name {
                    return fail(&format!("expected {code} with {name}"));
                }
            }
            // The app's client reads any refusal as an `AppError` to show it (401 comes from
            // the sign-in check, 408 from the timeout: both have their own handling).
            let readable = serde_json::from_str::<AppError>(&text).is_ok();
            if status.is_client_error() && !matches!(status.as_u16(), 401 | 408) && !readable {
                return fail("a refusal the app's client cannot read (not an AppError)");
            }
        }
        Caller::Form => {
            if !status.is_redirection() && !status.is_client_error() {
                return fail("a plain form must get a redirect or a 4xx");
            }
            // A server function's failure reaches a plain form as a redirect: its error tells.
            let error = url_error(app, &to);
            if matches!(error.as_deref(), Some("Internal" | "Transport")) {
                return fail("a plain form sent back with a server error");
            }
            if let Expect::Refused(code, name) = case.expect {
                let right = if status.is_redirection() {
                    error.as_deref() == Some(name)
                } else {
                    status.as_u16() == code
                };
                if !right {
                    return fail(&format!(
                        "expected a redirect with {name} in __err (or {code})"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The variant of a serialized `AppError`: `"NotFound"` or `{"BadRequest": "…"}`.
fn variant(error: &serde_json::Value) -> String {
    match error {
        serde_json::Value::String(unit) => unit.clone(),
        serde_json::Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The variant of the error a redirect carries back to the form's page (`__err`), if any.
fn url_error(app: &TestApp, location: &str) -> Option<String> {
    let url = reqwest::Url::parse(&app.url("/"))
        .ok()?
        .join(location)
        .ok()?;
    let (_, encoded) = url.query_pairs().find(|(name, _)| *name == "__err")?;
    let error = ServerFnUrlError::<AppError>::decode_err(&encoded);
    serde_json::to_value(&error).ok().map(|v| variant(&v))
}

/// Undoes what a case may have done to the walker's own access: maintenance windows (the
/// test app does not cache them), a disabled account, a changed password, login throttling.
async fn reset(app: &TestApp, password_hash: &str) {
    for statement in [
        "DELETE FROM maintenance_windows",
        "DELETE FROM login_lockouts",
        "DELETE FROM login_attempts",
    ] {
        sqlx::query(statement)
            .execute(&app.pool)
            .await
            .expect(statement);
    }
    sqlx::query("UPDATE accounts SET password_hash = $1, disabled_at = NULL")
        .bind(password_hash)
        .execute(&app.pool)
        .await
        .expect("accounts back");
}

/// Panics with the thread they happened on. `#[sqlx::test]` runs a current-thread runtime, so
/// the server spawned by the test runs on the test's thread: its panics are the ones with the
/// test's `ThreadId` (tests running in parallel have their own threads).
static PANICS: Mutex<Vec<(ThreadId, String)>> = Mutex::new(Vec::new());

fn watch_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((std::thread::current().id(), info.to_string()));
            // The message and backtrace still print.
            previous(info);
        }));
    });
}

fn panics_on(thread: ThreadId) -> Vec<String> {
    let seen = PANICS.lock().unwrap_or_else(|e| e.into_inner());
    seen.iter()
        .filter(|(id, _)| *id == thread)
        .map(|(_, message)| message.clone())
        .collect()
}

/// Every server function, anonymously, then as the agency's admin, then as an accountant, gets
/// hostile bodies and fields. Each function starts from a reset and a fresh session, so a case
/// that changes the caller's password, disables an account or opens a maintenance window
/// cannot turn the rest of the walk into 401s or 503s.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn hostile_input_to_any_server_function_gets_an_answer_and_no_server_error(pool: PgPool) {
    let me = std::thread::current().id();
    watch_panics();
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    // From here on: building the router is not the walk.
    let log = CapturedLog::default();
    let _log = log.capture(tracing::Level::ERROR);
    let password_hash =
        sqlx::query_scalar::<_, String>("SELECT password_hash FROM accounts WHERE email = $1")
            .bind(ADMIN)
            .fetch_one(&app.pool)
            .await
            .expect("the admin's password hash");
    let targets = every_server_function();

    let started = std::time::Instant::now();
    let mut sent = 0usize;
    let mut failures = Vec::new();
    for pass in [Pass::Anonymous, Pass::Admin, Pass::Accountant] {
        for target in &targets {
            reset(&app, &password_hash).await;
            let client = match pass.email() {
                Some(email) => app.signed_in(email).await,
                None => app.client(),
            };
            for case in cases(target, pass) {
                sent += 1;
                if let Err(problem) = send(&app, &client, target.path, &case).await {
                    failures.push(format!(
                        "{pass:?}, {} as {:?}, {}: {problem}",
                        target.path, case.caller, case.what
                    ));
                }
            }
        }
    }
    eprintln!("walked {sent} requests in {:?}", started.elapsed());

    let mut report = String::new();
    if !failures.is_empty() {
        report.push_str(&format!(
            "{} of {sent} answers went wrong (the first {SHOWN}):\n",
            failures.len()
        ));
        for failure in failures.iter().take(SHOWN) {
            report.push_str(&format!("- {failure}\n"));
        }
    }
    let panics = panics_on(me);
    if !panics.is_empty() {
        report.push_str(&format!("the server panicked:\n{}\n", panics.join("\n")));
    }
    let errors = log.text();
    if !errors.is_empty() {
        let start: String = errors.chars().take(6000).collect();
        report.push_str(&format!("the server logged errors:\n{start}\n"));
    }
    assert!(report.is_empty(), "{report}");
}
