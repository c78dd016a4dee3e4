mod access;
mod artefacts;
mod bad_input;
mod history;
mod openapi;
mod seed_case;
mod vocabularies;
