//! clap's own refusals (an unknown option or subcommand, a missing or invalid value, two options
//! that exclude each other…) said in French like every other error of the command line, with
//! clap's exit code 2. `--help` and `--version` print as clap writes them.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::process::ExitCode;

/// Prints what clap refused, in French, and gives the exit code.
pub fn report(err: &clap::Error) -> ExitCode {
    let code = ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
        }
        // `comptoir user` and the like: clap prints the command's help, which lists what is
        // missing; a French line says why first.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("erreur : sous-commande manquante ; voici l'aide de la commande :\n");
            let _ = err.print();
        }
        _ => eprintln!("erreur : {}", french(err)),
    }
    code
}

/// The French message for a refused command line, ending with where to find help.
pub fn french(err: &clap::Error) -> String {
    let text = move |kind| match err.get(kind) {
        Some(ContextValue::String(value)) => Some(value.as_str()),
        _ => None,
    };
    let names = move |kind| match err.get(kind) {
        Some(ContextValue::String(value)) => vec![option_name(value)],
        Some(ContextValue::Strings(values)) => values.iter().map(|v| option_name(v)).collect(),
        _ => Vec::new(),
    };
    let arg = text(ContextKind::InvalidArg)
        .map(option_name)
        .unwrap_or_else(|| "un argument".to_owned());
    let value = text(ContextKind::InvalidValue);
    let message = match err.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => match value {
            None | Some("") => format!(
                "{arg} : une valeur est attendue{} ; si elle commence par « - », écrivez {arg}=…",
                expected(&arg)
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            ),
            Some(value) => {
                let valid = names(ContextKind::ValidValue);
                let expected = if valid.is_empty() {
                    expected(&arg).map(|e| format!(" (attendu : {e})"))
                } else {
                    Some(format!(" ; valeurs possibles : {}", valid.join(", ")))
                };
                format!(
                    "{arg} : valeur « {value} » invalide{}",
                    expected.unwrap_or_default()
                )
            }
        },
        ErrorKind::UnknownArgument => {
            let given = text(ContextKind::InvalidArg).unwrap_or_default();
            let hint = match text(ContextKind::SuggestedArg) {
                Some(similar) => format!(" ; vouliez-vous dire « {similar} » ?"),
                None if given.starts_with('-') && !given.starts_with("--") => {
                    " (une valeur qui commence par « - » s'écrit collée à son option : \
                     --option=-…)"
                        .to_owned()
                }
                None => String::new(),
            };
            format!("argument « {given} » inattendu{hint}")
        }
        ErrorKind::InvalidSubcommand => {
            let given = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            let similar = names(ContextKind::SuggestedSubcommand);
            let hint = match similar.as_slice() {
                [] => String::new(),
                [one] => format!(" ; vouliez-vous dire « {one} » ?"),
                many => format!(" ; vouliez-vous dire l'une de : {} ?", many.join(", ")),
            };
            format!("sous-commande « {given} » inconnue{hint}")
        }
        ErrorKind::MissingSubcommand => {
            let command = text(ContextKind::InvalidSubcommand).unwrap_or("comptoir");
            let valid = names(ContextKind::ValidSubcommand);
            format!(
                "« {command} » attend une sous-commande : {}",
                valid.join(", ")
            )
        }
        ErrorKind::MissingRequiredArgument => match names(ContextKind::InvalidArg).as_slice() {
            [one] => format!(
                "{one} manquant : indiquez {}",
                expected(one).unwrap_or("sa valeur")
            ),
            many => format!("options obligatoires manquantes : {}", many.join(", ")),
        },
        ErrorKind::ArgumentConflict => {
            let prior = names(ContextKind::PriorArg);
            if prior.is_empty() || prior.iter().all(|p| *p == arg) {
                format!("{arg} est donné plusieurs fois : gardez-en un seul")
            } else {
                format!(
                    "{arg} et {} s'excluent : choisissez l'un ou l'autre",
                    prior.join(", ")
                )
            }
        }
        ErrorKind::NoEquals => format!("{arg} : écrivez la valeur après un « = » ({arg}=…)"),
        ErrorKind::TooManyValues => match value {
            Some(value) => format!("{arg} : valeur « {value} » en trop"),
            None => format!("{arg} : trop de valeurs"),
        },
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} : nombre de valeurs incorrect")
        }
        ErrorKind::InvalidUtf8 => "un argument n'est pas du texte UTF-8 valide".to_owned(),
        _ => "ligne de commande invalide".to_owned(),
    };
    format!("{message}\n\nAide : {} --help", command_path(err))
}

/// `--role <ROLE>` → `--role`: the option as the user typed it.
fn option_name(shown: &str) -> String {
    shown.split_whitespace().next().unwrap_or(shown).to_owned()
}

/// What an option takes, when it says more than "a value".
fn expected(option: &str) -> Option<&'static str> {
    Some(match option {
        // The ranges are the alerts' and maintenance windows' rules (checked again there).
        "--lifetime-days" => "un nombre de jours entre 1 et 3650",
        "--minutes" => "un nombre de minutes entre 1 et 10080 (7 jours)",
        "--start" | "--end" => "une date et heure de Paris, par exemple \"24/11/2026 02:00\"",
        "--addr" => "une adresse et un port, par exemple 127.0.0.1:3000",
        "--role" => "le rôle : admin, accountant ou viewer",
        "--kind" => "le type : update, maintenance ou info",
        "--email" => "l'adresse e-mail du compte",
        "--organisation" => "l'identifiant (slug) ou le numéro de l'organisation",
        "--title" => "le titre de l'alerte",
        "--message" => "le message",
        "--name" => "le nom affiché",
        _ => return None,
    })
}

/// The command the error is about (`comptoir alert broadcast`), from clap's usage line.
fn command_path(err: &clap::Error) -> String {
    let usage = match err.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(usage)) => usage.to_string(),
        _ => String::new(),
    };
    let first_line = usage.lines().next().unwrap_or_default();
    let words: Vec<&str> = first_line
        .split_whitespace()
        .skip_while(|w| w.ends_with(':'))
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect();
    if words.is_empty() {
        "comptoir".to_owned()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    /// `comptoir` with `args` (split on spaces).
    fn parse(args: &str) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("comptoir").chain(args.split_whitespace()))
    }

    fn refused(args: &str) -> String {
        match parse(args) {
            Ok(cli) => panic!("{args:?} accepted: {cli:?}"),
            Err(err) => french(&err),
        }
    }

    #[track_caller]
    fn assert_french(message: &str, expected: &str) {
        assert!(
            message.contains(expected),
            "{expected:?} not in {message:?}"
        );
        for english in [
            "error",
            "invalid value",
            "unexpected argument",
            "a value is required",
            "unrecognized",
            "Usage",
            "For more information",
            "tip:",
            "required",
        ] {
            assert!(!message.contains(english), "{english:?} in {message:?}");
        }
    }

    #[test]
    fn clap_refusals_are_said_in_french() {
        assert_french(
            &refused("user create --email a@b.fr --role root --organisation x"),
            "--role : valeur « root » invalide ; valeurs possibles : admin, accountant, viewer",
        );
        assert_french(
            &refused("alert broadcast --lifetime-days"),
            "--lifetime-days : une valeur est attendue (un nombre de jours entre 1 et 3650)",
        );
        assert_french(
            &refused("alert broadcast --titel T"),
            "argument « --titel » inattendu ; vouliez-vous dire « --title » ?",
        );
        assert_french(&refused("nimporte"), "« nimporte »");
        assert_french(
            &refused("maintenance statut"),
            "sous-commande « statut » inconnue ; vouliez-vous dire « status » ?",
        );
        assert_french(
            &refused("user create --role viewer --organisation x"),
            "--email manquant : indiquez l'adresse e-mail du compte",
        );
        assert_french(
            &refused(
                "user create --email a@b.fr --role viewer --organisation x --password-stdin \
                 --generate-password",
            ),
            "s'excluent",
        );
        assert_french(
            &refused("--addr nulle-part"),
            "--addr : valeur « nulle-part » invalide (attendu : une adresse et un port, par \
             exemple 127.0.0.1:3000)",
        );
        assert_french(
            &refused("alert broadcast --title T --title U"),
            "--title est donné plusieurs fois",
        );
        // Where to look next: the command's own help.
        assert_french(
            &refused("alert broadcast --titel T"),
            "Aide : comptoir alert broadcast --help",
        );
    }

    #[test]
    fn negative_numbers_reach_the_commands_own_checks() {
        for args in [
            "alert broadcast --lifetime-days -3",
            "maintenance on --minutes -5",
        ] {
            let parsed = parse(args);
            assert!(parsed.is_ok(), "{args}: {parsed:?}");
        }
    }

    #[test]
    fn help_and_version_are_clap_s_own() {
        for flag in ["--help", "--version", "alert --help"] {
            let Err(err) = parse(flag) else {
                panic!("{flag} parsed");
            };
            assert!(matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ));
            assert_eq!(err.exit_code(), 0);
        }
    }
}
