//! Accounts (admins) and API tokens (everyone, their own).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Desk, Submitted, Workspace, blocking, message_page, render, see_other};
use crate::catalogue::{StoreError, TokenInfo, UserInfo};
use crate::model::role::Role;
use crate::web::AppState;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    d: Desk,
    users: Vec<UserInfo>,
    problem: Option<String>,
    me: i64,
    roles: [Role; 3],
    /// Whether researchers see where objects are, and whether the configuration says so.
    locations_shown: bool,
    locations_forced: bool,
}

async fn users_page(
    state: &AppState,
    ws: &Workspace,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, Response> {
    let catalogue = state.catalogue.clone();
    let users = blocking(ws, move || catalogue.users()).await?;
    let d = ws.desk(ws.desk("").t("用户", "Users"));
    Ok(render(
        &UsersPage {
            d,
            users,
            problem,
            me: ws.principal().user_id,
            roles: [Role::Researcher, Role::Curator, Role::Admin],
            locations_shown: state.catalogue.researchers_see_locations(),
            locations_forced: state.catalogue.config.researchers_see_locations,
        },
        status,
    ))
}

pub async fn users(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    ws.admin()?;
    users_page(&state, &ws, None, StatusCode::OK).await
}

/// Lets researchers see where objects are, or stops them (admins).
pub async fn locations_setting(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let admin = ws.admin()?.clone();
    let (catalogue, allow) = (state.catalogue.clone(), f.on("researchers_see_locations"));
    blocking(&ws, move || catalogue.allow_researchers_locations(&admin, allow)).await?;
    Ok(super::done(&ws, "/admin/users", super::Done::Saved))
}

pub async fn user_create(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let actor = ws.admin()?.name.clone();
    let role: Role = match f.get("role").unwrap_or("").parse() {
        Ok(r) => r,
        Err(e) => return users_page(&state, &ws, Some(e), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let name = f.get("name").unwrap_or("").to_string();
    let password = f.get("password").map(str::to_string);
    let catalogue = state.catalogue.clone();
    let created =
        crate::catalogue::blocking(move || catalogue.add_user(&actor, &name, role, password.as_deref())).await;
    match created {
        Ok(_) => Ok(see_other(&ws.link("/admin/users"))),
        Err(e @ (StoreError::Invalid(_) | StoreError::Conflict { .. })) => {
            users_page(&state, &ws, Some(e.to_string()), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(super::store_error_page(&ws, e)),
    }
}

/// Changes a user's role or disables the account (its sessions end at once).
pub async fn user_update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let actor = ws.admin()?.name.clone();
    let Ok(id) = id.parse::<i64>() else {
        return Err(message_page(&ws, StatusCode::NOT_FOUND, "404", "ids are numbers"));
    };
    let role: Role = match f.get("role").unwrap_or("").parse() {
        Ok(r) => r,
        Err(e) => return users_page(&state, &ws, Some(e), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let disabled = f.on("disabled");
    if id == ws.principal().user_id && (disabled || role != Role::Admin) {
        let msg =
            ws.desk("").t("不能降低或停用自己的管理员账户。", "You cannot demote or disable your own admin account.");
        return users_page(&state, &ws, Some(msg.into()), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let catalogue = state.catalogue.clone();
    blocking(&ws, move || catalogue.set_user_access(&actor, id, role, disabled)).await?;
    Ok(see_other(&ws.link("/admin/users")))
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    d: Desk,
    tokens: Vec<TokenInfo>,
    secret: Option<String>,
}

async fn tokens_page(state: &AppState, ws: &Workspace, secret: Option<String>) -> Result<Response, Response> {
    let catalogue = state.catalogue.clone();
    let me = ws.principal().user_id;
    let tokens = blocking(ws, move || catalogue.tokens_of(me)).await?;
    let d = ws.desk(ws.desk("").t("API 令牌", "API tokens"));
    Ok(render(&TokensPage { d, tokens, secret }, StatusCode::OK))
}

pub async fn tokens(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    tokens_page(&state, &ws, None).await
}

/// Creates a token for the signed-in user; the secret is shown on this one page only.
pub async fn token_create(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let me = ws.principal().clone();
    let label = f.get("label").map(str::to_string);
    let catalogue = state.catalogue.clone();
    let token = blocking(&ws, move || catalogue.create_token(&me.name, me.user_id, label.as_deref())).await?;
    tokens_page(&state, &ws, Some(token.secret)).await
}

pub async fn token_revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let ws = s.ws;
    let me = ws.principal().clone();
    let Ok(id) = id.parse::<i64>() else {
        return Err(message_page(&ws, StatusCode::NOT_FOUND, "404", "ids are numbers"));
    };
    let catalogue = state.catalogue.clone();
    blocking(&ws, move || catalogue.revoke_own_token(&me.name, me.user_id, id)).await?;
    Ok(see_other(&ws.link("/admin/tokens")))
}
