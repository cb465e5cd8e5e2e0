//! The protocol's entries read strictly: good ones pass, and each way a
//! template can get one wrong is refused with its field path.

use super::*;
use crate::assets::colour::Rgb;
use serde_json::json;

/// A text box as deck.typ emits it.
fn text() -> Value {
    json!({
        "kind": "text", "name": "title", "x": 48.0, "y": 40.0, "w": 864.0, "h": 80.0,
        "paras": [{
            "runs": [{"text": "标题", "size": 40.0, "face": "hei", "bold": true, "color": "#1a1a1a"}],
            "align": "left", "line": 1.2, "after": 0.0, "bullet": null,
        }],
        "anchor": "middle", "fill": null, "inset": 0.0, "scale": 1.0, "overflow": false,
    })
}

/// The geometry spread.typ reports for a broadsheet.
fn geometry() -> Value {
    json!({
        "cols": 8, "col": 117.0, "gutter": 9.0, "pitch": 12.5, "leading": 3.5,
        "page-width": 1000.0, "page-height": 1500.0, "type-height": 1400.0,
        "margin-x": 50.0, "margin-y": 50.0, "head": 30.0, "band-gap": 16.0,
        "headline-gap": 18.0, "banner": [300.0, 400.0, 480.0],
        "title": [48.0, 84.0], "box-air": 1, "box-scales": [1.0, 0.94, 1.06],
        "photo-share": 0.4, "pull": [6, 20], "crop": {"photo": 0.4, "banner": 0.5},
        "order": {
            "openers": ["lede", "figures"], "body": ["sections", "data-box", "quote"],
            "charts-after": 1,
        },
    })
}

/// Reads and checks a value as a `T`, as the reader does.
fn read<T: Entry>(value: Value) -> Result<T, Problem> {
    let entry = T::parse(value)?;
    entry.check()?;
    Ok(entry)
}

fn problem<T: Entry + std::fmt::Debug>(value: Value) -> Problem {
    read::<T>(value).expect_err("the entry is refused")
}

#[test]
fn good_entries_read() {
    let Item::Text(t) = read::<Item>(text()).unwrap() else {
        panic!("a text box")
    };
    assert_eq!(t.anchor, Anchor::Middle);
    assert_eq!(t.paras[0].runs[0].face, FaceName::Hei);
    assert_eq!(t.paras[0].runs[0].color, Colour(Rgb(0x1a, 0x1a, 0x1a)));
    assert_eq!(read::<Geometry>(geometry()).unwrap().cols, 8);
    assert_eq!(
        read::<Measure>(json!({"kind": "caption", "index": 2, "span": 3})).unwrap(),
        Measure::Piece {
            kind: Kind::Caption,
            index: 2,
            span: 3,
            variant: 0,
        }
    );
    assert_eq!(
        read::<Measure>(json!({"kind": "quote", "index": 0, "span": 3, "variant": 2})).unwrap(),
        Measure::Piece {
            kind: Kind::Quote,
            index: 0,
            span: 3,
            variant: 2,
        }
    );
    assert_eq!(
        read::<Version>(json!({"version": VERSION})).unwrap(),
        Version { version: VERSION }
    );
}

#[test]
fn a_missing_field_is_named_with_its_entry() {
    let mut value = text();
    value.as_object_mut().unwrap().remove("anchor");
    let p = problem::<Item>(value);
    assert_eq!(
        (p.field.as_str(), p.message.as_str()),
        ("", "missing field `anchor`")
    );
    // Given as `none` is not left out.
    let mut value = text();
    value["paras"][0].as_object_mut().unwrap().remove("bullet");
    let p = problem::<Item>(value);
    assert_eq!(p.field, "paras[0]");
    assert!(p.message.contains("`bullet`"), "{p:?}");
}

#[test]
fn a_misspelt_value_is_an_error_not_a_default() {
    let mut value = text();
    value["anchor"] = json!("midle");
    let p = problem::<Item>(value);
    assert_eq!(p.field, "anchor");
    assert!(p.message.contains("unknown variant `midle`"), "{p:?}");
    let mut value = text();
    value["paras"][0]["runs"][0]["face"] = json!("Hei");
    assert_eq!(problem::<Item>(value).field, "paras[0].runs[0].face");
    let p = problem::<Item>(json!({"kind": "txt"}));
    assert_eq!(p.field, "kind");
    assert!(p.message.contains("unknown kind `txt`"), "{p:?}");
    let p = problem::<Measure>(json!({"kind": "headlines"}));
    assert_eq!(p.field, "kind");
}

#[test]
fn a_wrong_type_or_an_unknown_field_is_named() {
    let mut value = text();
    value["w"] = json!("864pt");
    let p = problem::<Item>(value);
    assert_eq!(p.field, "w");
    assert!(p.message.contains("invalid type"), "{p:?}");
    let mut value = text();
    value["paras"][0]["runs"][0]["color"] = json!("red");
    assert_eq!(problem::<Item>(value).field, "paras[0].runs[0].color");
    let mut value = geometry();
    value["colour"] = json!(1);
    assert!(
        problem::<Geometry>(value)
            .message
            .contains("unknown field `colour`")
    );
    let p = problem::<Measure>(json!({"kind": "credits", "index": 0}));
    assert!(p.message.contains("unknown field `index`"), "{p:?}");
    let p = problem::<Measure>(json!({"kind": "lede", "index": 0, "span": 3}));
    assert!(p.message.contains("missing field `variant`"), "{p:?}");
    let p = problem::<Measure>(json!({"kind": "heading", "index": 0}));
    assert!(p.message.contains("missing field `span`"), "{p:?}");
}

#[test]
fn values_that_would_mislead_are_refused() {
    for (field, bad) in [
        ("pitch", json!(0.0)),
        ("col", json!(-1.0)),
        ("cols", json!(0)),
    ] {
        let mut value = geometry();
        value[field] = bad;
        assert_eq!(problem::<Geometry>(value).field, field);
    }
    let mut value = geometry();
    value["banner"] = json!([400.0, 300.0, 480.0]);
    assert_eq!(problem::<Geometry>(value).field, "banner");
    for (field, bad) in [
        ("title", json!([84.0, 48.0])),
        ("box-scales", json!([0.9, 1.0])),
        ("photo-share", json!(1.5)),
        ("pull", json!([0, 20])),
    ] {
        let mut value = geometry();
        value[field] = bad;
        assert_eq!(problem::<Geometry>(value).field, field);
    }
    let mut value = text();
    value["paras"][0]["runs"][0]["size"] = json!(0.0);
    assert_eq!(problem::<Item>(value).field, "paras[0].runs[0].size");
    let mut value = text();
    value["scale"] = json!(1.5);
    assert_eq!(problem::<Item>(value).field, "scale");
    let p = problem::<Measure>(json!({"kind": "quote", "index": 0, "span": 0, "variant": 0}));
    assert_eq!(p.field, "span");
}

#[test]
fn the_templates_crops_and_order_are_checked() {
    let read = read::<Geometry>(geometry()).unwrap();
    assert_eq!(read.crop.banner, 0.5);
    assert_eq!(read.order.body[0], Placed::Sections);
    assert_eq!(read.order.charts_after, 1);
    let mut value = geometry();
    value["crop"]["photo"] = json!(1.0);
    assert_eq!(problem::<Geometry>(value).field, "crop.photo");
    // Each item once, the stories in the body.
    for (openers, body, says) in [
        (
            json!(["lede", "sections"]),
            json!(["figures", "data-box", "quote"]),
            "body",
        ),
        (
            json!(["lede"]),
            json!(["sections", "data-box", "quote"]),
            "\"figures\" once, not 0",
        ),
        (
            json!(["lede", "figures"]),
            json!(["sections", "quote", "data-box", "quote"]),
            "\"quote\" once, not 2",
        ),
    ] {
        let mut value = geometry();
        value["order"]["openers"] = openers;
        value["order"]["body"] = body;
        let p = problem::<Geometry>(value);
        assert!(p.field.starts_with("order"), "{p:?}");
        assert!(p.message.contains(says), "{p:?}");
    }
    let mut value = geometry();
    value["order"]["body"][0] = json!("stories");
    assert!(
        problem::<Geometry>(value)
            .message
            .contains("unknown variant")
    );
}

#[test]
fn a_slide_of_no_size_is_refused() {
    let size = read::<SlideSize>(json!({"width": 960.0, "height": 540.0})).unwrap();
    assert_eq!(size.width, 960.0);
    let p = problem::<SlideSize>(json!({"width": 960.0, "height": 0.0}));
    assert_eq!(p.field, "height");
}

#[test]
fn another_version_is_refused() {
    let p = problem::<Version>(json!({"version": VERSION + 1}));
    assert_eq!(p.field, "version");
    assert!(problem::<Version>(json!({"v": 1})).message.contains("`v`"));
}
