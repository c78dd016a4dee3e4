//! The paperwork from the workspace: the links on a donation's, an object's and a set's
//! pages print with the curator's session, and a batch of ticked objects prints a label sheet.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use super::signed_in;
use crate::helpers::TestApp;

fn print_links(body: &str) -> Vec<String> {
    let doc = Html::parse_document(body);
    let links = Selector::parse(".print-links a").unwrap();
    doc.select(&links).filter_map(|a| a.value().attr("href").map(String::from)).collect()
}

#[tokio::test]
async fn a_curator_prints_the_paperwork_from_the_donation_and_object_pages_and_a_batch() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let (mut b, _) = signed_in(&app, "clara", Role::Curator).await;

    let donation = b.get("/admin/donations/1?lang=en").await;
    assert_eq!(donation.status, StatusCode::OK);
    let edit = b.get("/admin/donations/1/edit?lang=en").await;
    assert!(edit.body.contains("Receipt number"), "the form names the receipt number as the receipt does");
    let links = print_links(&donation.body);
    assert_eq!(links.len(), 4, "receipt, certificate, letter, the items' labels: {links:?}");
    assert!(links.iter().all(|l| l.ends_with("lang=en")), "printed in the page's language: {links:?}");
    let object = b.get("/admin/objects/2023.15.2").await;
    let object_links = print_links(&object.body);
    assert_eq!(object_links.len(), 2, "label and card: {object_links:?}");
    for link in links.iter().chain(&object_links) {
        let link = link.replace("&amp;", "&");
        let pdf = b.get(&link).await;
        assert_eq!(pdf.status, StatusCode::OK, "{link}: {}", pdf.body);
        assert!(pdf.body.starts_with("%PDF-"), "{link} is a PDF");
    }

    // A batch of ticked objects prints a label sheet; with none ticked it says what to do.
    let list = b.get("/admin/objects?category=calligraphy-painting").await;
    assert!(list.body.contains("打印总登记账"), "the register is printed from the object list");
    let sheet =
        b.submit(&list, "form.batch", &[("action", "labels"), ("pick_0", "2023.15.1"), ("pick_1", "2023.15.2")]).await;
    assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.body);
    assert!(sheet.body.starts_with("%PDF-"));
    let none = b.submit(&list, "form.batch", &[("action", "labels")]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("请在列表中勾选藏品"), "{}", none.body);

    // Signed out, the links print nothing.
    let anonymous = reqwest::get(app.url("/api/v1/donations/1/receipt.pdf")).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
