//! Assembling the parts: presentation, properties, theme, masters, slides
//! and notes.

use std::collections::BTreeMap;

use super::*;

/// Slide size in EMU.
#[derive(Clone, Copy)]
pub(super) struct Size {
    pub(super) cx: i64,
    pub(super) cy: i64,
}

/// The notes page: 7.5 × 10 in portrait.
pub(super) const NOTES_SIZE: Size = Size {
    cx: 6_858_000,
    cy: 9_144_000,
};

pub(super) fn build(deck: &Deck, faces: Vec<FacePart>) -> Package {
    let styles = Styles {
        theme: &deck.theme,
        panose: family_panose(&faces),
    };
    let size = Size {
        cx: emu(deck.width),
        cy: emu(deck.height),
    };
    let mut pkg = Package::default();

    let mut root = Rels::default();
    root.add(rel("officeDocument"), PRESENTATION);
    root.add(REL_CORE, CORE);
    root.add(rel("extended-properties"), APP);
    pkg.rels("", &root);
    pkg.xml(CORE, CT_CORE, &core_xml(deck));
    pkg.xml(APP, CT_APP, &app_xml(deck, size));

    add_presentation(&mut pkg, deck, size, faces, &styles.panose);
    pkg.xml(PRES_PROPS, pml("presProps"), PRES_PROPS_XML);
    pkg.xml(VIEW_PROPS, pml("viewProps"), VIEW_PROPS_XML);
    pkg.xml(TABLE_STYLES, pml("tableStyles"), TABLE_STYLES_XML);
    pkg.xml(THEME, CT_THEME, &theme_xml(&deck.theme));
    pkg.xml(NOTES_THEME, CT_THEME, &theme_xml(&deck.theme));
    add_master(&mut pkg, size);
    add_notes_master(&mut pkg, size);

    let mut media = Media::default();
    for (i, slide) in deck.slides.iter().enumerate() {
        add_slide(&mut pkg, &mut media, &styles, slide, i + 1);
    }
    for (i, jpeg) in media.files.iter().enumerate() {
        pkg.media(media_part(i + 1), jpeg);
    }
    pkg
}

pub(super) fn has_notes(slide: &Slide) -> bool {
    !slide.notes.trim().is_empty()
}

pub(super) fn core_xml(deck: &Deck) -> String {
    let dates = deck.modified.as_deref().map_or_else(String::new, |date| {
        let date = esc(date);
        format!(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#
        )
    });
    let title = esc(&deck.title);
    let author = esc(&deck.author);
    format!(
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>{dates}</cp:coreProperties>"#
    )
}

pub(super) fn app_xml(deck: &Deck, size: Size) -> String {
    let fonts = fonts_used(deck);
    let slide_titles: Vec<String> = deck
        .slides
        .iter()
        .enumerate()
        .map(|(i, slide)| match slide.name.trim() {
            "" => format!("Slide {}", i + 1),
            name => name.to_string(),
        })
        .collect();
    let groups = [
        ("Fonts Used", fonts),
        ("Theme", vec![deck.theme.name.clone()]),
        ("Slide Titles", slide_titles),
    ];
    let groups: Vec<_> = groups.iter().filter(|(_, t)| !t.is_empty()).collect();
    let pairs: String = groups
        .iter()
        .map(|(heading, titles)| {
            format!(
                "<vt:variant><vt:lpstr>{heading}</vt:lpstr></vt:variant><vt:variant><vt:i4>{}</vt:i4></vt:variant>",
                titles.len()
            )
        })
        .collect();
    let titles: Vec<&String> = groups.iter().flat_map(|(_, t)| t).collect();
    let title_xml: String = titles
        .iter()
        .map(|t| format!("<vt:lpstr>{}</vt:lpstr>", esc(t)))
        .collect();
    let format = if (size.cx, size.cy) == (12_192_000, 6_858_000) {
        "Widescreen"
    } else {
        "Custom"
    };
    let notes = deck.slides.iter().filter(|s| has_notes(s)).count();
    format!(
        r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><TotalTime>0</TotalTime><Application>banmian</Application><PresentationFormat>{format}</PresentationFormat><Slides>{slides}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides><MMClips>0</MMClips><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="{pair_count}" baseType="variant">{pairs}</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{title_count}" baseType="lpstr">{title_xml}</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"#,
        slides = deck.slides.len(),
        pair_count = groups.len() * 2,
        title_count = titles.len(),
    )
}

/// Faces named by the deck's runs, in order of first use.
pub(super) fn fonts_used(deck: &Deck) -> Vec<String> {
    let mut fonts: Vec<String> = Vec::new();
    let runs = deck
        .slides
        .iter()
        .flat_map(|slide| &slide.elements)
        .filter_map(|element| match element {
            Element::Text(text) => Some(&text.paragraphs),
            _ => None,
        })
        .flatten()
        .flat_map(|para| &para.runs);
    for run in runs {
        let face = run.face.name(&deck.theme);
        if !fonts.iter().any(|f| f == face) {
            fonts.push(face.to_string());
        }
    }
    fonts
}

pub(super) fn add_presentation(
    pkg: &mut Package,
    deck: &Deck,
    size: Size,
    faces: Vec<FacePart>,
    panose: &BTreeMap<String, [u8; 10]>,
) {
    let mut rels = Rels::default();
    let master = rels.add(rel("slideMaster"), MASTER);
    let notes_master = rels.add(rel("notesMaster"), NOTES_MASTER);
    let slide_ids: String = (1..=deck.slides.len())
        .map(|n| {
            let rid = rels.add(rel("slide"), slide_part(n));
            format!(r#"<p:sldId id="{}" r:id="{rid}"/>"#, 255 + n)
        })
        .collect();
    rels.add(rel("presProps"), PRES_PROPS);
    rels.add(rel("viewProps"), VIEW_PROPS);
    rels.add(rel("theme"), THEME);
    rels.add(rel("tableStyles"), TABLE_STYLES);
    let families = add_fonts(pkg, &mut rels, faces, panose);
    let embedded = embedded_font_list(&families);
    let embed_flag = if families.is_empty() {
        ""
    } else {
        r#" embedTrueTypeFonts="1""#
    };

    let slide_list = if slide_ids.is_empty() {
        String::new()
    } else {
        format!("<p:sldIdLst>{slide_ids}</p:sldIdLst>")
    };
    let xml = format!(
        r#"<p:presentation {PML_NS}{embed_flag} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="{MASTER_ID}" r:id="{master}"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="{notes_master}"/></p:notesMasterIdLst>{slide_list}<p:sldSz cx="{}" cy="{}"/><p:notesSz cx="{}" cy="{}"/>{embedded}<p:defaultTextStyle>{DEF_PPR}{}</p:defaultTextStyle></p:presentation>"#,
        size.cx,
        size.cy,
        NOTES_SIZE.cx,
        NOTES_SIZE.cy,
        levels(9, 1800, "mn"),
    );
    pkg.xml(PRESENTATION, pml("presentation.main"), &xml);
    pkg.rels(PRESENTATION, &rels);
}

/// Adds each face's part and relationship; returns the families, in order,
/// each with its PANOSE from `panose`.
fn add_fonts(
    pkg: &mut Package,
    rels: &mut Rels,
    faces: Vec<FacePart>,
    panose: &BTreeMap<String, [u8; 10]>,
) -> Vec<EmbeddedFamily> {
    let mut families: Vec<EmbeddedFamily> = Vec::new();
    for (i, face) in faces.into_iter().enumerate() {
        let part = format!("ppt/fonts/font{}.fntdata", i + 1);
        let rid = rels.add(rel("font"), part.as_str());
        pkg.push(part, None, face.eot);
        let family = match families.iter_mut().find(|f| f.family == face.family) {
            Some(family) => family,
            None => {
                families.push(EmbeddedFamily {
                    panose: panose[&face.family],
                    family: face.family,
                    regular: None,
                    bold: None,
                });
                families.last_mut().expect("just pushed")
            }
        };
        if face.bold {
            family.bold = Some(rid);
        } else {
            family.regular = Some(rid);
        }
    }
    families
}

/// The prompts of the masters' placeholders: title, text and subtitle.
pub(super) const PROMPTS: [&str; 3] = [
    "单击此处编辑母版标题样式",
    "单击此处编辑母版文本样式",
    "单击此处编辑母版副标题样式",
];

/// Id of the slide master; layout ids follow it (both must be at least 2^31
/// and unique together).
pub(super) const MASTER_ID: u32 = 2_147_483_648;

pub(super) const PRES_PROPS_XML: &str = concat!(
    r#"<p:presentationPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>"#
);

pub(super) const VIEW_PROPS_XML: &str = concat!(
    r#"<p:viewPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">"#,
    r#"<p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr>"#,
    r#"<p:slideViewPr><p:cSldViewPr snapToGrid="0"><p:cViewPr varScale="1"><p:scale>"#,
    r#"<a:sx n="100" d="100"/><a:sy n="100" d="100"/></p:scale><p:origin x="0" y="0"/>"#,
    r#"</p:cViewPr><p:guideLst/></p:cSldViewPr></p:slideViewPr>"#,
    r#"<p:notesTextViewPr><p:cViewPr><p:scale><a:sx n="1" d="1"/><a:sy n="1" d="1"/></p:scale>"#,
    r#"<p:origin x="0" y="0"/></p:cViewPr></p:notesTextViewPr>"#,
    r#"<p:gridSpacing cx="72008" cy="72008"/></p:viewPr>"#
);

/// No table styles, with PowerPoint's "Medium Style 2 - Accent 1" as default.
pub(super) const TABLE_STYLES_XML: &str = concat!(
    r#"<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>"#
);

pub(super) fn theme_xml(theme: &Theme) -> String {
    let slots = [
        ("dk1", theme.ink),
        ("lt1", theme.paper),
        ("dk2", theme.grey),
        ("lt2", theme.tint),
        ("accent1", theme.accent),
        ("accent2", theme.ink),
        ("accent3", theme.grey),
        ("accent4", theme.tint),
        ("accent5", theme.accent.mix(theme.ink, 0.5)),
        ("accent6", theme.grey.mix(theme.paper, 0.5)),
        ("hlink", theme.accent),
        ("folHlink", theme.grey),
    ];
    let colors: String = slots
        .iter()
        .map(|(slot, color)| format!(r#"<a:{slot}><a:srgbClr val="{}"/></a:{slot}>"#, color.hex()))
        .collect();
    let name = esc(&theme.name);
    let major = font_collection("majorFont", &theme.major_latin, &theme.major_ea, "黑体");
    let minor = font_collection("minorFont", &theme.minor_latin, &theme.minor_ea, "宋体");
    let fill = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
    let fills = fill.repeat(3);
    let lines: String = [6350, 12700, 19050]
        .iter()
        .map(|w| {
            format!(
                r#"<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">{fill}<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>"#
            )
        })
        .collect();
    let effects = "<a:effectStyle><a:effectLst/></a:effectStyle>".repeat(3);
    format!(
        r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="{name}"><a:themeElements><a:clrScheme name="{name}">{colors}</a:clrScheme><a:fontScheme name="{name}">{major}{minor}</a:fontScheme><a:fmtScheme name="{name}"><a:fillStyleLst>{fills}</a:fillStyleLst><a:lnStyleLst>{lines}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst><a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#
    )
}

/// A theme font: the deck's faces for Latin and East Asian text, and for
/// Simplified Chinese (`Hans`) the face every Chinese Windows has (SimHei
/// for headings, SimSun for body text), for readers that ignore the
/// embedded faces and do not have the deck's.
pub(super) fn font_collection(tag: &str, latin: &str, ea: &str, hans: &str) -> String {
    let (latin, ea) = (esc(latin), esc(ea));
    format!(
        r#"<a:{tag}><a:latin typeface="{latin}"/><a:ea typeface="{ea}"/><a:cs typeface=""/><a:font script="Hans" typeface="{hans}"/></a:{tag}>"#
    )
}

/// Default paragraph properties of every text style.
pub(super) const DEF_PPR: &str = r#"<a:defPPr><a:defRPr lang="zh-CN"/></a:defPPr>"#;

/// Level 1 to `count` paragraph styles: `size` in hundredths of a point and
/// theme fonts of `role` (`mj` heading, `mn` body).
pub(super) fn levels(count: u32, size: u32, role: &str) -> String {
    (1..=count)
        .map(|level| {
            format!(
                r#"<a:lvl{level}pPr marL="{}" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:defRPr sz="{size}" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+{role}-lt"/><a:ea typeface="+{role}-ea"/><a:cs typeface="+{role}-cs"/></a:defRPr></a:lvl{level}pPr>"#,
                (level - 1) * 457_200
            )
        })
        .collect()
}

pub(super) const CLR_MAP: &str = r#"<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>"#;
pub(super) const CLR_MAP_OVR: &str = "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>";
/// Background of the masters: the theme's paper colour.
pub(super) const BACKGROUND: &str = r#"<p:bg><p:bgPr><a:solidFill><a:schemeClr val="bg1"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>"#;
/// The non-visual group every shape tree opens with.
pub(super) const TREE_ROOT: &str = r#"<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>"#;

pub(super) fn add_master(pkg: &mut Package, size: Size) {
    let mut rels = Rels::default();
    let layout_ids: String = (1..=LAYOUTS.len())
        .map(|n| {
            let rid = rels.add(rel("slideLayout"), layout_part(n));
            format!(
                r#"<p:sldLayoutId id="{}" r:id="{rid}"/>"#,
                MASTER_ID as usize + n
            )
        })
        .collect();
    rels.add(rel("theme"), THEME);

    let title = Placeholder {
        id: 2,
        name: "Title Placeholder 1",
        ph: r#"type="title""#,
        frame: Some(size.part(0.0688, 0.0532, 0.8625, 0.1933)),
        text: Some(plain_para(PROMPTS[0])),
    };
    let body = Placeholder {
        id: 3,
        name: "Text Placeholder 2",
        ph: r#"type="body" idx="1""#,
        frame: Some(size.part(0.0688, 0.2662, 0.8625, 0.6345)),
        text: Some(plain_para(PROMPTS[1])),
    };
    let xml = format!(
        r#"<p:sldMaster {PML_NS}><p:cSld>{BACKGROUND}<p:spTree>{TREE_ROOT}{}{}</p:spTree></p:cSld>{CLR_MAP}<p:sldLayoutIdLst>{layout_ids}</p:sldLayoutIdLst><p:txStyles><p:titleStyle>{}</p:titleStyle><p:bodyStyle>{}</p:bodyStyle><p:otherStyle>{DEF_PPR}{}</p:otherStyle></p:txStyles></p:sldMaster>"#,
        title.xml(),
        body.xml(),
        levels(1, 4400, "mj"),
        levels(9, 2800, "mn"),
        levels(9, 1800, "mn"),
    );
    pkg.xml(MASTER, pml("slideMaster"), &xml);
    pkg.rels(MASTER, &rels);

    for (i, (name, kind)) in LAYOUTS.iter().enumerate() {
        let shapes = if *kind == "title" {
            title_layout_shapes(size)
        } else {
            String::new()
        };
        let xml = format!(
            r#"<p:sldLayout {PML_NS} type="{kind}" preserve="1"><p:cSld name="{name}"><p:spTree>{TREE_ROOT}{shapes}</p:spTree></p:cSld>{CLR_MAP_OVR}</p:sldLayout>"#
        );
        let part = layout_part(i + 1);
        let mut rels = Rels::default();
        rels.add(rel("slideMaster"), MASTER);
        pkg.xml(part.as_str(), pml("slideLayout"), &xml);
        pkg.rels(&part, &rels);
    }
}

pub(super) fn title_layout_shapes(size: Size) -> String {
    let title = Placeholder {
        id: 2,
        name: "Title 1",
        ph: r#"type="ctrTitle""#,
        frame: Some(size.part(0.125, 0.1637, 0.75, 0.3481)),
        text: Some(plain_para(PROMPTS[0])),
    };
    let subtitle = Placeholder {
        id: 3,
        name: "Subtitle 2",
        ph: r#"type="subTitle" idx="1""#,
        frame: Some(size.part(0.125, 0.5252, 0.75, 0.2414)),
        text: Some(plain_para(PROMPTS[2])),
    };
    title.xml() + &subtitle.xml()
}

pub(super) fn add_notes_master(pkg: &mut Package, slide: Size) {
    // The slide image fits a 6 × 3.75 in box 0.75 in from the top, centred.
    let (box_w, box_h) = (5_486_400.0, 3_429_000.0);
    let scale = f64::min(box_w / slide.cx as f64, box_h / slide.cy as f64);
    let (w, h) = (slide.cx as f64 * scale, slide.cy as f64 * scale);
    let image = Placeholder {
        id: 2,
        name: "Slide Image Placeholder 1",
        ph: r#"type="sldImg" idx="2""#,
        frame: Some(Frame {
            x: ((NOTES_SIZE.cx as f64 - w) / 2.0).round() as i64,
            y: (685_800.0 + (box_h - h) / 2.0).round() as i64,
            cx: w.round() as i64,
            cy: h.round() as i64,
        }),
        text: None,
    };
    let body = Placeholder {
        id: 3,
        name: "Notes Placeholder 2",
        ph: r#"type="body" sz="quarter" idx="3""#,
        frame: Some(NOTES_SIZE.part(0.1, 0.4812, 0.8, 0.3938)),
        text: Some(plain_para(PROMPTS[1])),
    };
    let xml = format!(
        r#"<p:notesMaster {PML_NS}><p:cSld>{BACKGROUND}<p:spTree>{TREE_ROOT}{}{}</p:spTree></p:cSld>{CLR_MAP}<p:notesStyle>{}</p:notesStyle></p:notesMaster>"#,
        image.xml(),
        body.xml(),
        levels(9, 1200, "mn"),
    );
    let mut rels = Rels::default();
    rels.add(rel("theme"), NOTES_THEME);
    pkg.xml(NOTES_MASTER, pml("notesMaster"), &xml);
    pkg.rels(NOTES_MASTER, &rels);
}

pub(super) fn add_slide<'a>(
    pkg: &mut Package,
    media: &mut Media<'a>,
    styles: &Styles,
    slide: &'a Slide,
    n: usize,
) {
    let part = slide_part(n);
    let mut rels = Rels::default();
    rels.add(rel("slideLayout"), layout_part(BLANK_LAYOUT));
    // One relationship per distinct image, in order of first use.
    let mut image_rids: Vec<(usize, String)> = Vec::new();
    let picture_rids: Vec<String> = slide
        .elements
        .iter()
        .filter_map(|element| match element {
            Element::Picture { jpeg, .. } => Some(media.intern(jpeg)),
            _ => None,
        })
        .map(|image| {
            if let Some((_, rid)) = image_rids.iter().find(|(i, _)| *i == image) {
                return rid.clone();
            }
            let rid = rels.add(rel("image"), media_part(image));
            image_rids.push((image, rid.clone()));
            rid
        })
        .collect();
    let notes = has_notes(slide).then(|| {
        rels.add(rel("notesSlide"), notes_part(n));
        notes_part(n)
    });

    pkg.xml(
        part.as_str(),
        pml("slide"),
        &slide_xml(slide, styles, &picture_rids),
    );
    pkg.rels(&part, &rels);
    if let Some(notes) = notes {
        let mut rels = Rels::default();
        rels.add(rel("notesMaster"), NOTES_MASTER);
        rels.add(rel("slide"), part);
        pkg.xml(notes.as_str(), pml("notesSlide"), &notes_xml(&slide.notes));
        pkg.rels(&notes, &rels);
    }
}

/// The slide's XML; `picture_rids` holds the image relationship of each
/// picture element in order.
pub(super) fn slide_xml(slide: &Slide, styles: &Styles, picture_rids: &[String]) -> String {
    let mut pictures = picture_rids.iter();
    let shapes: String = slide
        .elements
        .iter()
        .zip(2..)
        .map(|(element, id)| match element {
            Element::Text(text) => text_box_xml(id, text, styles),
            Element::Picture {
                frame, descr, crop, ..
            } => {
                let rid = pictures.next().expect("one relationship per picture");
                picture_xml(id, rid, frame, descr, crop)
            }
            Element::Shape { frame, fill, line } => rect_xml(id, frame, *fill, *line),
            Element::Line {
                x1,
                y1,
                x2,
                y2,
                color,
                width,
            } => line_xml(id, [*x1, *y1, *x2, *y2], *color, *width),
        })
        .collect();
    let name = match slide.name.trim() {
        "" => String::new(),
        name => format!(r#" name="{}""#, esc(name)),
    };
    format!(
        r#"<p:sld {PML_NS}><p:cSld{name}><p:spTree>{TREE_ROOT}{shapes}</p:spTree></p:cSld>{CLR_MAP_OVR}</p:sld>"#
    )
}

pub(super) fn notes_xml(notes: &str) -> String {
    let image = Placeholder {
        id: 2,
        name: "Slide Image Placeholder 1",
        ph: r#"type="sldImg""#,
        frame: None,
        text: None,
    };
    let body = Placeholder {
        id: 3,
        name: "Notes Placeholder 2",
        ph: r#"type="body" idx="1""#,
        frame: None,
        text: Some(notes.trim().lines().map(plain_para).collect()),
    };
    format!(
        r#"<p:notes {PML_NS}><p:cSld><p:spTree>{TREE_ROOT}{}{}</p:spTree></p:cSld>{CLR_MAP_OVR}</p:notes>"#,
        image.xml(),
        body.xml()
    )
}
