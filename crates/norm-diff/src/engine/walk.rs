//! The walk over a standard's entities, code lists and rules: each element matched across the
//! two sides by identity, and the change rules run on each pair.

use norm_model::model::{Code, Field};
use norm_model::{Doc, ElementPath};

use super::{Pair, Walker, proposed};
use crate::Kind;
use crate::matching::{Identity, match_elements};

/// The elements of both sides to match: each side's, less those missing from the other side only
/// because their file did not load there (`Walker::unloaded_on` records that file instead).
fn comparable<'a, T: Identity>(
    w: &mut Walker<'_>,
    old: &'a [Doc<T>],
    new: &'a [Doc<T>],
    path: impl Fn(&str) -> ElementPath,
) -> (Vec<&'a T>, Vec<&'a T>) {
    let has = |docs: &[Doc<T>], name: &str| docs.iter().any(|d| d.value.name() == name);
    let olds = old
        .iter()
        .map(|d| &*d.value)
        .filter(|e| has(new, e.name()) || !w.unloaded_on(true, &path(e.name())))
        .collect();
    let news = new
        .iter()
        .map(|d| &*d.value)
        .filter(|e| has(old, e.name()) || !w.unloaded_on(false, &path(e.name())))
        .collect();
    (olds, news)
}

pub(super) fn entities(
    w: &mut Walker<'_>,
    os: &norm_model::Standard,
    ns: &norm_model::Standard,
    id: &str,
) {
    let (olds, news) = comparable(w, &os.entities, &ns.entities, |n| {
        ElementPath::entity(id, n)
    });
    let (pairs, _) = match_elements(&olds, &news);
    for (o, n) in pairs {
        // Most elements of a large standard do not change between two revisions.
        if o.is_some() && o == n {
            continue;
        }
        let name = n.or(o).map(|e| e.name.clone()).unwrap_or_default();
        let odoc = o.and_then(|o| os.entity(&o.name));
        let ndoc = n.and_then(|n| ns.entity(&n.name));
        let opos = odoc.and_then(|d| w.pos(false, d.file, |l| l.key("name")));
        let npos = ndoc.and_then(|d| w.pos(true, d.file, |l| l.key("name")));
        let entity_proposed = proposed(o, n);
        w.at(ElementPath::entity(id, &name), opos, npos, entity_proposed);
        w.run(Kind::Entity, &Pair::Entity { old: o, new: n });
        let (Some(o), Some(n), Some(odoc), Some(ndoc)) = (o, n, odoc, ndoc) else {
            continue;
        };
        w.unclassified("entity", &format!("entity `{name}`"), o, n, &["fields"]);
        let (ofs, nfs): (Vec<&Field>, Vec<&Field>) =
            (o.fields.iter().collect(), n.fields.iter().collect());
        let (fields, reused) = match_elements(&ofs, &nfs);
        for (item, old_name, new_name) in reused {
            w.at(ElementPath::field(id, &name, &new_name), None, None, false);
            w.out.policy(
                "item-reused",
                format!(
                    "item `{item}` belonged to `{old_name}`, which still exists, and is now on `{new_name}`: \
                     an item identifies one field for good; give `{new_name}` a new item"
                ),
            );
        }
        for (fo, fne) in fields {
            if fo.is_some() && fo == fne {
                continue;
            }
            let fname = fne.or(fo).map(|f| f.name.clone()).unwrap_or_default();
            let fopos =
                fo.and_then(|f| w.pos(false, odoc.file, |l| l.key("fields").index(f.position)));
            let fnpos =
                fne.and_then(|f| w.pos(true, ndoc.file, |l| l.key("fields").index(f.position)));
            w.at(
                ElementPath::field(id, &name, &fname),
                fopos,
                fnpos,
                entity_proposed || proposed(fo, fne),
            );
            w.run(
                Kind::Field,
                &Pair::Field {
                    old: fo,
                    new: fne,
                    old_entity: o,
                    new_entity: n,
                },
            );
            if let (Some(fo), Some(fne)) = (fo, fne) {
                w.unclassified("field", &format!("field `{fname}`"), fo, fne, &[]);
            }
        }
    }
}

pub(super) fn codelists(
    w: &mut Walker<'_>,
    os: &norm_model::Standard,
    ns: &norm_model::Standard,
    id: &str,
) {
    let (olds, news) = comparable(w, &os.codelists, &ns.codelists, |n| {
        ElementPath::codelist(id, n)
    });
    let (pairs, _) = match_elements(&olds, &news);
    for (o, n) in pairs {
        if o.is_some() && o == n {
            continue;
        }
        let name = n.or(o).map(|e| e.name.clone()).unwrap_or_default();
        let odoc = o.and_then(|o| os.codelist(&o.name));
        let ndoc = n.and_then(|n| ns.codelist(&n.name));
        let opos = odoc.and_then(|d| w.pos(false, d.file, |l| l.key("name")));
        let npos = ndoc.and_then(|d| w.pos(true, d.file, |l| l.key("name")));
        let list_proposed = proposed(o, n);
        w.at(ElementPath::codelist(id, &name), opos, npos, list_proposed);
        w.run(Kind::Codelist, &Pair::Codelist { old: o, new: n });
        let (Some(o), Some(n), Some(odoc), Some(ndoc)) = (o, n, odoc, ndoc) else {
            continue;
        };
        w.unclassified("codelist", &format!("code list `{name}`"), o, n, &["codes"]);
        let (ocs, ncs): (Vec<&Code>, Vec<&Code>) =
            (o.codes.iter().collect(), n.codes.iter().collect());
        let (codes, _) = match_elements(&ocs, &ncs);
        for (co, cn) in codes {
            if co.is_some() && co == cn {
                continue;
            }
            let code = cn.or(co).map(|c| c.code.clone()).unwrap_or_default();
            let copos =
                co.and_then(|c| w.pos(false, odoc.file, |l| l.key("codes").index(c.position)));
            let cnpos =
                cn.and_then(|c| w.pos(true, ndoc.file, |l| l.key("codes").index(c.position)));
            w.at(
                ElementPath::code(id, &name, &code),
                copos,
                cnpos,
                list_proposed || proposed(co, cn),
            );
            w.run(
                Kind::Code,
                &Pair::Code {
                    old: co,
                    new: cn,
                    old_list: o,
                    new_list: n,
                },
            );
            if let (Some(co), Some(cn)) = (co, cn) {
                w.unclassified("code", &format!("code `{code}`"), co, cn, &[]);
            }
        }
    }
}

pub(super) fn rules(
    w: &mut Walker<'_>,
    os: &norm_model::Standard,
    ns: &norm_model::Standard,
    id: &str,
) {
    let (olds, news) = comparable(w, &os.rules, &ns.rules, |n| ElementPath::rule(id, n));
    let (pairs, _) = match_elements(&olds, &news);
    for (o, n) in pairs {
        if o.is_some() && o == n {
            continue;
        }
        let code = n.or(o).map(|r| r.code.clone()).unwrap_or_default();
        let opos = o
            .and_then(|o| os.rule(&o.code))
            .and_then(|d| w.pos(false, d.file, |l| l.key("code")));
        let npos = n
            .and_then(|n| ns.rule(&n.code))
            .and_then(|d| w.pos(true, d.file, |l| l.key("code")));
        w.at(ElementPath::rule(id, &code), opos, npos, proposed(o, n));
        w.run(Kind::Rule, &Pair::Rule { old: o, new: n });
        if let (Some(o), Some(n)) = (o, n) {
            w.unclassified("rule", &format!("rule `{code}`"), o, n, &[]);
        }
    }
}
