use super::*;

/// A site of in-memory files: (path, text).
fn site(files: &[(&str, &str)]) -> AsciidocSite {
    let files: BTreeMap<String, Option<String>> = files
        .iter()
        .map(|(p, t)| (p.to_string(), Some(t.to_string())))
        .collect();
    AsciidocSite::from_files(&files)
}

fn ok(r: &Resolution) -> bool {
    matches!(r, Resolution::File { .. })
}

/// A guide in the shape of Keycloak's: a root document that includes topics, one of which
/// includes another from its own folder.
const GUIDE: [(&str, &str); 4] = [
    (
        "guide/index.adoc",
        "= The Guide\n\ninclude::topics/intro.adoc[]\n\ninclude::topics/setup/setup.adoc[leveloffset=+1]\n",
    ),
    (
        "guide/topics/intro.adoc",
        "[[_intro]]\n== Introduction\n\nSee <<_setup_keycloak,the setup>> and <<_nowhere>>.\n\n== Overview\n",
    ),
    (
        "guide/topics/setup/setup.adoc",
        "== Setup {project_name}\n\ninclude::more.adoc[]\n\nBack to xref:_intro[the start], \
         <<Introduction>>, <<intro.adoc#_intro>>, <<topics/intro.adoc#_intro>>.\n",
    ),
    (
        "guide/topics/setup/more.adoc",
        ":project_name: Keycloak\n\n== Overview\n\nA [[inline-anchor]]word and anchor:other-anchor[].\n",
    ),
];

#[test]
fn a_cross_reference_is_an_id_of_the_document_that_includes_the_file() {
    let s = site(&GUIDE);
    let from = "guide/topics/intro.adoc";
    // The section's id is derived with its attribute's value, as asciidoctor does.
    assert!(ok(&s.resolve(from, ReferenceKind::Xref, "_setup_keycloak")));
    let missing = s.resolve(from, ReferenceKind::Xref, "_nowhere");
    assert_eq!(
        missing,
        Resolution::Missing {
            why: "no id `_nowhere` in the document `guide/index.adoc`".into()
        }
    );
    let from = "guide/topics/setup/setup.adoc";
    // An explicit id, a natural cross reference (a section's title), inline anchors.
    for id in ["_intro", "Introduction", "inline-anchor", "other-anchor"] {
        assert!(ok(&s.resolve(from, ReferenceKind::Xref, id)), "{id}");
    }
    // A title is no id where it could be one (lower case, no space).
    assert!(!ok(&s.resolve(from, ReferenceKind::Xref, "introduction")));
}

#[test]
fn a_repeated_title_is_numbered_across_the_files_of_the_document() {
    let s = site(&GUIDE);
    let ids = s.anchors_of("guide/index.adoc").expect("a document");
    // `== Overview` in intro.adoc, then in more.adoc (included later): `_overview_2`.
    assert!(
        ids.contains("_overview") && ids.contains("_overview_2"),
        "{ids:?}"
    );
    // The document's title gets no id.
    assert!(!ids.contains("_the_guide"));
}

#[test]
fn a_cross_reference_to_an_included_file_is_internal_and_to_another_document_a_page() {
    let mut files = GUIDE.to_vec();
    files.push((
        "guide/other.adoc",
        "= Other\n\n[[far]]\n== Far away\n\nSee <<index.adoc#_intro,the guide>>.\n",
    ));
    let s = site(&files);
    let from = "guide/topics/setup/setup.adoc";
    // `topics/intro.adoc` is in the guide's `includes` (relative to its folder): internal.
    assert!(ok(&s.resolve(
        from,
        ReferenceKind::Xref,
        "topics/intro.adoc#_intro"
    )));
    // `intro.adoc` is not (includes are named from the document's folder): another
    // document's page, `guide/intro.html`, which no document builds.
    let r = s.resolve(from, ReferenceKind::Xref, "intro.adoc#_intro");
    assert!(
        matches!(&r, Resolution::Missing { why } if why.contains("no document `guide/intro.adoc`")),
        "{r:?}"
    );
    // Another root document: its page and id.
    assert_eq!(
        s.resolve(from, ReferenceKind::Xref, "other.adoc#far"),
        Resolution::File {
            path: "guide/other.adoc".into(),
            fragment: Some("far".into())
        }
    );
    assert!(s
        .anchors_of("guide/other.adoc")
        .is_some_and(|ids| ids.contains("far")));
    // A file included into the guide is no page of its own.
    let r = s.resolve(
        "guide/other.adoc",
        ReferenceKind::Xref,
        "topics/intro.adoc#_intro",
    );
    assert!(
        matches!(&r, Resolution::Missing { why } if why.contains("is no page of its own")),
        "{r:?}"
    );
}

#[test]
fn includes_resolve_from_the_including_file_and_through_attributes() {
    let s = site(&[
        (
            "book/master.adoc",
            ":templates: ../common\n= Book\n\ninclude::{templates}/attributes.adoc[]\ninclude::missing.adoc[]\n\
             include::{undefined}/x.adoc[]\n",
        ),
        ("common/attributes.adoc", ":product: NQRust\n"),
    ]);
    let from = "book/master.adoc";
    assert!(ok(&s.resolve(
        from,
        ReferenceKind::Include,
        "{templates}/attributes.adoc"
    )));
    assert_eq!(
        s.resolve(from, ReferenceKind::Include, "missing.adoc"),
        Resolution::Missing {
            why: "no file `book/missing.adoc`".into()
        }
    );
    // An attribute with no value anywhere: not checked.
    assert_eq!(
        s.resolve(from, ReferenceKind::Include, "{undefined}/x.adoc"),
        Resolution::External
    );
    // The included file is read by the book, so it is no root document.
    assert_eq!(s.url_of("common/attributes.adoc"), None);
    assert_eq!(s.url_of(from).as_deref(), Some("/book/master.html"));
}

#[test]
fn images_are_relative_to_the_document_and_imagesdir_and_links_to_its_page() {
    let s = site(&[
        ("g/index.adoc", ":imagesdir: images\n= G\n\ninclude::t/a.adoc[]\n"),
        (
            "g/t/a.adoc",
            "image::logo.png[Logo]\nlink:other.html[the other guide]\n",
        ),
        ("g/images/logo.png", ""),
        ("g/other.adoc", "= Other\n"),
    ]);
    let from = "g/t/a.adoc";
    assert!(ok(&s.resolve(from, ReferenceKind::Image, "logo.png")));
    assert!(!ok(&s.resolve(from, ReferenceKind::Image, "nope.png")));
    assert_eq!(
        s.resolve(from, ReferenceKind::Link, "other.html#top"),
        Resolution::File {
            path: "g/other.adoc".into(),
            fragment: Some("top".into())
        }
    );
    assert_eq!(
        s.resolve(from, ReferenceKind::Link, "https://example.com"),
        Resolution::External
    );
}

#[test]
fn section_ids_follow_the_build_and_the_including_document() {
    let pom = "<project><build><plugins><plugin>\
               <artifactId>asciidoctor-maven-plugin</artifactId>\
               <configuration><attributes><idprefix/><idseparator>-</idseparator>\
               <project_buildType>${buildType}</project_buildType></attributes></configuration>\
               </plugin><plugin><artifactId>other</artifactId><configuration><attributes>\
               <idprefix>x</idprefix></attributes></configuration></plugin></plugins></build></project>";
    let files = [
        ("pom.xml", pom),
        (
            "g/index.adoc",
            "= G\n\n== First Part\n\n:idprefix: id_\ninclude::t.adoc[]\n",
        ),
        ("g/t.adoc", "== Second Part\n\n:idseparator: .\n== Third Part\n"),
    ];
    let s = site(&files);
    let ids = s.anchors_of("g/index.adoc").expect("a document");
    let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    // The build's `idprefix` (empty) and `idseparator` (`-`); the document's `:idprefix:`
    // before the include carried into the included file; the file's own entry after.
    assert_eq!(ids, ["first-part", "id_second-part", "id_third.part"]);
}

#[test]
fn the_build_attributes_are_the_editor_file_s_then_the_maven_plugin_s() {
    let config = ":idprefix:\n:idseparator: -\n:sectids!:\nifndef::x[:x: .]\n";
    let pom = "<project><plugin><artifactId>asciidoctor-maven-plugin</artifactId>\
               <attributes><sectids>true</sectids><toc>left</toc></attributes></plugin></project>";
    let attributes = build_attributes(Some(config), Some(pom));
    let pairs: Vec<(&str, &str)> = attributes.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("idprefix", ""),
            ("idseparator", "-"),
            ("sectids!", ""),
            ("sectids", "true"),
            ("toc", "left")
        ]
    );
    assert_eq!(build_attributes(None, Some("<not xml")), Vec::new());
}

#[test]
fn references_are_told_apart_by_their_macro() {
    let text = "include::a.adoc[]\n\nSee <<id,label>>, xref:b.adoc#c[x], link:d.html[y], image:e.png[z], \
                icon:check[] and https://example.com[site].\n\nimage::f.png[]\n";
    let refs: Vec<(ReferenceKind, &str, usize)> = asciidoc_references(text)
        .into_iter()
        .map(|r| (r.kind, &text[r.range], r.line))
        .collect();
    assert_eq!(
        refs,
        [
            (ReferenceKind::Include, "a.adoc", 1),
            (ReferenceKind::Xref, "id", 3),
            (ReferenceKind::Xref, "b.adoc#c", 3),
            (ReferenceKind::Link, "d.html", 3),
            (ReferenceKind::Image, "e.png", 3),
            (ReferenceKind::Image, "f.png", 5),
        ]
    );
}

#[test]
fn a_guide_tree_is_an_asciidoctor_site_and_a_folder_of_markdown_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(!Asciidoctor.is_site(tmp.path()));
    std::fs::write(tmp.path().join("README.md"), "# r\n").unwrap();
    assert!(!Asciidoctor.is_site(tmp.path()));
    std::fs::create_dir(tmp.path().join("guide")).unwrap();
    std::fs::write(tmp.path().join("guide/index.adoc"), "= G\n").unwrap();
    assert!(Asciidoctor.is_site(tmp.path()));
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("pom.xml"),
        "<project><artifactId>asciidoctor-maven-plugin</artifactId></project>",
    )
    .unwrap();
    assert!(Asciidoctor.is_site(other.path()));
}
