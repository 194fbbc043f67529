//! Integration tests, in one binary (one link instead of one per file): the real HTTP stack,
//! the command line and the embedded cluster against a real PostgreSQL.

mod alerts;
mod auth;
mod authorisation;
mod cli;
mod common;
mod counters;
mod counters_admin;
mod directory;
mod document_counts;
mod documents;
mod embedded_pg;
mod flash;
mod footfall;
mod invoicing;
mod maintenance;
mod newcomer;
mod privileges;
mod refunds;
mod sections;
mod server_fn_fields;
mod server_fns;
mod smtp_sink;
mod tenancy;
