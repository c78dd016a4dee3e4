mod access;
mod artefacts;
mod bad_input;
mod history;
mod openapi;
mod search;
mod seed_case;
mod vocabularies;
