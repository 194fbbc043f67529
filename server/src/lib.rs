//! The Comptoir server: HTTP stack, database start-up, command-line tasks.

pub mod cli;
pub mod cli_errors;
pub mod config;
pub mod counts;
pub mod database;
pub mod demo;
pub mod embedded_pg;
pub mod http;
pub mod http_trace;
pub mod jobs;
pub mod ops;
