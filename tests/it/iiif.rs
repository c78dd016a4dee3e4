//! `/iiif/`: the IIIF Image API (info.json, pixel checks on regions), the Presentation
//! manifest, and who may see what.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::images::{artefact, close, decode, get_image, read_fixture, upload};

#[tokio::test]
async fn info_json_and_regions_return_the_right_pixels() {
    let app = TestApp::spawn().await;
    artefact(&app, "2023.1.1", "published").await;
    let original = read_fixture("iiif-validator.png");
    let (_, body) = upload(&app, Some(&app.curator), "2023.1.1", "v.png", original.clone(), &[]).await;
    let id = body["image"]["id"].as_str().unwrap().to_string();
    let res = app.get(&format!("/iiif/3/{id}/info.json")).header("Accept", "application/ld+json").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/ld+json"));
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let info: Value = res.json().await.unwrap();
    assert_eq!(info["id"], format!("{}/iiif/3/{id}", app.base));
    assert_eq!(info["type"], "ImageService3");
    assert_eq!(info["profile"], "level2");
    assert_eq!((info["width"].as_u64(), info["height"].as_u64()), (Some(1000), Some(1000)));
    assert_eq!(info["tiles"][0]["scaleFactors"], json!([1, 2]));
    let truth = decode(&original);
    // A region, at full size and halved, rotated and mirrored: compare with the original's pixels.
    for (path, check) in [
        ("113,213,74,74/max/0/default.png", (37u32, 37u32, 150u32, 250u32)),
        ("100,200,200,100/100,/0/default.png", (25, 25, 150, 250)),
        ("pct:10,20,20,10/max/0/default.png", (50, 50, 150, 250)),
    ] {
        let (status, bytes) = get_image(&app, &format!("/iiif/3/{id}/{path}"), None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let got = decode(&bytes);
        let (x, y, ox, oy) = check;
        assert!(
            close(&got.get_pixel(x, y).0, &truth.get_pixel(ox, oy).0, 6),
            "{path}: {:?} vs {:?}",
            got.get_pixel(x, y),
            truth.get_pixel(ox, oy)
        );
    }
    // Rotated 90°: the square at the original's top-left is now top-right.
    let (_, bytes) = get_image(&app, &format!("/iiif/3/{id}/full/500,/90/default.png"), None).await;
    let got = decode(&bytes);
    assert!(close(&got.get_pixel(475, 25).0, &truth.get_pixel(50, 50).0, 8));
    // Mirrored: top-left becomes top-right.
    let (_, bytes) = get_image(&app, &format!("/iiif/3/{id}/full/500,/!0/default.png"), None).await;
    assert!(close(&decode(&bytes).get_pixel(475, 25).0, &truth.get_pixel(50, 50).0, 8));
    // Gray and bitonal.
    let (_, bytes) = get_image(&app, &format!("/iiif/3/{id}/full/200,/0/bitonal.png"), None).await;
    let img = image::load_from_memory(&bytes).unwrap().into_luma8();
    assert!(img.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    // An exact tile as viewers request it, straight from the pyramid.
    let res = app.get(&format!("/iiif/3/{id}/512,512,488,488/488,/0/default.jpg")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(res.headers()["link"].to_str().unwrap().contains("rel=\"canonical\""));
    assert_eq!(decode(&res.bytes().await.unwrap()).dimensions(), (488, 488));
    // The whole image at the size of one tile is the whole image, not its first tile.
    for size in ["512,", "!612,512"] {
        let (_, bytes) = get_image(&app, &format!("/iiif/3/{id}/full/{size}/0/default.jpg"), None).await;
        let got = decode(&bytes);
        assert_eq!(got.dimensions(), (512, 512), "{size}");
        let (corner, expected) = (got.get_pixel(490, 490).0, truth.get_pixel(957, 957).0);
        assert!(close(&corner, &expected, 8), "{size}: {corner:?} vs {expected:?}");
    }
    // Errors as the specification says.
    for (path, status) in [
        ("full/max/0/default.gif", StatusCode::NOT_IMPLEMENTED),
        ("full/2000,/0/default.jpg", StatusCode::BAD_REQUEST),
        ("full/max/45/default.jpg", StatusCode::NOT_IMPLEMENTED),
        ("5000,0,10,10/max/0/default.jpg", StatusCode::BAD_REQUEST),
        ("full/max/0/sepia.jpg", StatusCode::BAD_REQUEST),
    ] {
        let (got, _) = get_image(&app, &format!("/iiif/3/{id}/{path}"), None).await;
        assert_eq!(got, status, "{path}");
    }
    let (got, _) = get_image(&app, "/iiif/3/nope/full/max/0/default.jpg", None).await;
    assert_eq!(got, StatusCode::NOT_FOUND);
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(&format!("/iiif/3/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("{id}/info.json"));
}

#[tokio::test]
async fn internal_images_and_unpublished_artefacts_are_invisible_to_the_public() {
    let app = TestApp::spawn().await;
    artefact(&app, "2023.1.1", "published").await;
    artefact(&app, "2023.1.2", "draft").await;
    let jpeg = read_fixture("hopper.jpg");
    let png = read_fixture("iiif-validator.png");
    let (_, public) =
        upload(&app, Some(&app.curator), "2023.1.1", "p.jpg", jpeg.clone(), &[("caption_en", "Front")]).await;
    let (_, deed) =
        upload(&app, Some(&app.curator), "2023.1.1", "deed.png", png.clone(), &[("role", "document")]).await;
    assert_eq!(deed["image"]["visibility"], "internal", "scanned documents are internal by default");
    let (_, condition) = upload(
        &app,
        Some(&app.curator),
        "2023.1.1",
        "c.jpg",
        read_fixture("pil_sample_cmyk.jpg"),
        &[("role", "condition")],
    )
    .await;
    assert_eq!(condition["image"]["visibility"], "internal");
    let (_, draft) = upload(&app, Some(&app.curator), "2023.1.2", "d.jpg", jpeg.clone(), &[]).await;
    let id = |v: &Value| v["image"]["id"].as_str().unwrap().to_string();
    let researcher = app.user("wang", catalogue::model::role::Role::Researcher);
    for hidden in [id(&deed), id(&condition), id(&draft)] {
        for path in [
            format!("/iiif/3/{hidden}/info.json"),
            format!("/iiif/3/{hidden}/full/max/0/default.jpg"),
            format!("/iiif/3/{hidden}/0,0,64,64/64,/0/default.jpg"),
            format!("/api/v1/images/{hidden}"),
        ] {
            let (status, _) = get_image(&app, &path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "anonymous {path}");
            let (status, _) = get_image(&app, &path, Some(&researcher)).await;
            assert_eq!(status, StatusCode::OK, "researcher {path}");
        }
    }
    let (status, _) = get_image(&app, &format!("/iiif/3/{}/info.json", id(&public)), None).await;
    assert_eq!(status, StatusCode::OK);
    // The public list and manifest hold the public image only.
    let list: Value = app.get("/api/v1/artefacts/2023.1.1/images").send().await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, _) = get_image(&app, "/api/v1/artefacts/2023.1.2/images", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let manifest: Value = app.get("/iiif/3/manifests/2023.1.1").send().await.unwrap().json().await.unwrap();
    let text = manifest.to_string();
    assert!(text.contains(&id(&public)));
    assert!(!text.contains(&id(&deed)) && !text.contains(&id(&condition)), "{text}");
    let (status, _) = get_image(&app, "/iiif/3/manifests/2023.1.2", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no manifest of an unpublished artefact");
    // Making an internal image public, then unpublishing its artefact.
    let res = app
        .patch_json(
            &format!("/api/v1/images/{}", id(&condition)),
            &app.curator,
            &json!({"version": 1, "visibility": "public"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (status, _) = get_image(&app, &format!("/iiif/3/{}/info.json", id(&condition)), None).await;
    assert_eq!(status, StatusCode::OK);
    let a = app.read("/api/v1/artefacts/2023.1.1").await;
    let res = app
        .patch_json("/api/v1/artefacts/2023.1.1", &app.curator, &json!({"version": a["version"], "status": "internal"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (status, _) = get_image(&app, &format!("/iiif/3/{}/info.json", id(&public)), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "unpublished with its artefact");
}

#[tokio::test]
async fn the_manifest_is_presentation_3_with_both_languages() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.15.2", "title": {"zh": "书法条幅", "en": "Calligraphy scroll"},
               "description": {"zh": "百年书法", "en": "A century-old scroll"}, "status": "published",
               "credit_line": "李振亚先生捐赠", "private": {"storage_location": "库房 B-12"}}),
    )
    .await;
    let (_, body) = upload(
        &app,
        Some(&app.curator),
        "2023.15.2",
        "s.jpg",
        read_fixture("hopper.jpg"),
        &[("caption_zh", "全幅"), ("caption_en", "Whole scroll"), ("photographer", "王摄")],
    )
    .await;
    let id = body["image"]["id"].as_str().unwrap();
    let res = app.get("/iiif/3/manifests/2023.15.2").send().await.unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/ld+json"));
    let m: Value = res.json().await.unwrap();
    assert_eq!(m["@context"], "http://iiif.io/api/presentation/3/context.json");
    assert_eq!(m["type"], "Manifest");
    assert_eq!(m["label"], json!({"zh": ["书法条幅"], "en": ["Calligraphy scroll"]}));
    assert_eq!(m["summary"]["en"], json!(["A century-old scroll"]));
    assert_eq!(m["requiredStatement"]["value"], json!({"none": ["李振亚先生捐赠"]}));
    assert_eq!(m["requiredStatement"]["label"]["en"], json!(["Credit line"]));
    let canvas = &m["items"][0];
    assert_eq!(canvas["type"], "Canvas");
    assert_eq!(canvas["label"]["zh"], json!(["全幅"]));
    assert_eq!((canvas["width"].as_u64(), canvas["height"].as_u64()), (Some(128), Some(128)));
    let service = &canvas["items"][0]["items"][0]["body"]["service"][0];
    assert_eq!(service["type"], "ImageService3");
    assert_eq!(service["id"], format!("{}/iiif/3/{id}", app.base));
    assert!(m["thumbnail"][0]["id"].as_str().unwrap().contains(id));
    assert!(!m.to_string().contains("库房"), "no private field in a manifest");
}

#[tokio::test]
async fn a_cached_image_or_info_json_is_revalidated_with_a_304_and_no_body() {
    let app = TestApp::spawn().await;
    artefact(&app, "2023.1.1", "published").await;
    let (_, body) =
        upload(&app, Some(&app.curator), "2023.1.1", "v.png", read_fixture("iiif-validator.png"), &[]).await;
    let id = body["image"]["id"].as_str().unwrap().to_string();
    for path in [
        format!("/iiif/3/{id}/0,0,512,512/512,/0/default.jpg"),
        format!("/iiif/3/{id}/full/!300,300/0/default.jpg"),
        format!("/iiif/3/{id}/info.json"),
    ] {
        let first = app.get(&path).send().await.unwrap();
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        let modified = first.headers()["last-modified"].to_str().unwrap().to_string();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        assert!(modified.ends_with(" GMT"), "{modified}");
        let full = first.bytes().await.unwrap();
        assert!(!full.is_empty());
        // The same tag: 304, empty, with the same validators and caching.
        let again = app.get(&path).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert_eq!(again.headers()["cache-control"], "public, max-age=86400");
        assert!(again.bytes().await.unwrap().is_empty());
        // One of several tags, or a weak one, matches too; another tag does not.
        let listed = app.get(&path).header("If-None-Match", format!("\"other\", W/{etag}")).send().await.unwrap();
        assert_eq!(listed.status(), StatusCode::NOT_MODIFIED);
        let other = app.get(&path).header("If-None-Match", "\"something-else\"").send().await.unwrap();
        assert_eq!(other.status(), StatusCode::OK);
        assert_eq!(other.bytes().await.unwrap(), full, "the same bytes as the first time");
        // By date: not changed since, 304; asked about a time before it, the image.
        let since = app.get(&path).header("If-Modified-Since", &modified).send().await.unwrap();
        assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
        let before = app.get(&path).header("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT").send().await.unwrap();
        assert_eq!(before.status(), StatusCode::OK);
    }
    // Another request of the same image has another tag.
    let a = app.get(&format!("/iiif/3/{id}/full/!300,300/0/default.jpg")).send().await.unwrap();
    let b = app.get(&format!("/iiif/3/{id}/full/!200,200/0/default.jpg")).send().await.unwrap();
    assert_ne!(a.headers()["etag"], b.headers()["etag"]);
    // A tag does not open an image the caller may not see.
    artefact(&app, "2023.1.2", "draft").await;
    let (_, hidden) =
        upload(&app, Some(&app.curator), "2023.1.2", "h.png", read_fixture("iiif-validator.png"), &[]).await;
    let hidden = hidden["image"]["id"].as_str().unwrap().to_string();
    let res =
        app.get(&format!("/iiif/3/{hidden}/full/max/0/default.jpg")).header("If-None-Match", "*").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
