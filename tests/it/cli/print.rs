//! `catalogue print`: the paperwork written as PDF files, and nothing written when the
//! thing to print does not exist.

use crate::api::paperwork::pdf_text;
use crate::helpers::{run_catalogue, run_catalogue_ok, said};

#[test]
fn the_command_line_prints_each_document_and_writes_nothing_for_what_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    run_catalogue_ok(&["--data-dir", data, "demo"]);
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();

    let receipt = out("receipt.pdf");
    let told = run_catalogue_ok(&["--data-dir", data, "print", "receipt", "1", "-o", &receipt]);
    assert!(told.contains("receipt.pdf") && told.contains("1 page"), "{told}");
    let text = pdf_text(&std::fs::read(&receipt).unwrap());
    assert!(text.contains("中共一大纪念馆") && text.contains("李振亚"), "{text}");

    let card = out("cards.pdf");
    run_catalogue_ok(&["--data-dir", data, "print", "card", "2023.15.1", "2023.15.2", "--lang", "en", "-o", &card]);
    let text = pdf_text(&std::fs::read(&card).unwrap());
    assert!(text.contains("Cataloguecard") && text.contains("2023.15.1") && text.contains("2023.15.2"), "{text}");

    let register = out("register.pdf");
    run_catalogue_ok(&["--data-dir", data, "print", "register", "--year", "2023", "-o", &register]);
    assert!(pdf_text(&std::fs::read(&register).unwrap()).contains("黎澍书陆游《村饮》诗"));
    for (args, says) in [
        (vec!["print", "certificate", "42"], "no donation 42"),
        (vec!["print", "label", "1999.9.9"], "no object 1999.9.9"),
        (vec!["print", "register", "--year", "1850"], "1850"),
        (vec!["print", "register", "--year", "2023", "--from", "2023.15.1"], "cannot be used with"),
    ] {
        let target = out("not-written.pdf");
        let mut full = vec!["--data-dir", data];
        full.extend(args.iter().copied());
        full.extend(["-o", target.as_str()]);
        let ran = run_catalogue(&full);
        assert!(!ran.status.success(), "{args:?} fails");
        assert!(said(&ran).contains(says), "{args:?}: {}", said(&ran));
        assert!(!std::path::Path::new(&target).exists(), "{args:?} wrote nothing");
    }
}

#[test]
fn without_the_chinese_fonts_a_print_says_what_is_missing_and_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let no_fonts = dir.path().join("no-fonts");
    std::fs::create_dir(&no_fonts).unwrap();
    run_catalogue_ok(&["--data-dir", data, "demo"]);
    // By the flag, and by the environment: a folder named is the only one looked in.
    for by_flag in [true, false] {
        let receipt = dir.path().join(format!("receipt-{by_flag}.pdf"));
        let receipt = receipt.to_str().unwrap();
        let mut args = vec!["--data-dir", data];
        if by_flag {
            args.extend(["--font-dir", no_fonts.to_str().unwrap()]);
        }
        args.extend(["print", "receipt", "1", "-o", receipt]);
        let ran = crate::helpers::run_catalogue_with(&args, |c| {
            if !by_flag {
                c.env("CATALOGUE_FONT_DIR", &no_fonts);
            }
        });
        let told = said(&ran);
        assert!(ran.status.success(), "the receipt is still printed: {told}");
        assert!(
            told.contains("printed as blanks") && told.contains("李") && told.contains("fonts were not found"),
            "the warning names the blank characters and the missing fonts: {told}"
        );
        assert!(told.contains("fonts-noto-cjk") && told.contains("font_dir"), "and says what to do: {told}");
        assert!(std::fs::metadata(receipt).unwrap().len() > 0);
    }
}
