//! The real SSD, imported at HEAD: run by hand with the path of an ssd-data-model checkout,
//! `NORM_SSD_SOURCE=/path cargo test -p norm-import -- --ignored`. The counts are the ones the
//! SSD publishes (48 tables, 359 fields, 68 foreign keys).

use std::path::PathBuf;

use norm_import::{Format, Target, import};
use norm_model::Catalog;

#[test]
#[ignore = "needs a checkout of data-to-insight/ssd-data-model in NORM_SSD_SOURCE"]
fn the_real_ssd_imports_with_its_published_counts() {
    let Some(source) = std::env::var_os("NORM_SSD_SOURCE") else {
        panic!("set NORM_SSD_SOURCE to an ssd-data-model checkout");
    };
    let catalog = Catalog::default();
    let target = Target {
        standard: None,
        catalog: &catalog,
        columns: &[],
    };
    let imported = import(Format::Ssd, &[PathBuf::from(source)], &target).expect("imports");
    let fields: usize = imported.entities.iter().map(|e| e.fields.len()).sum();
    let references = imported
        .entities
        .iter()
        .flat_map(|e| &e.fields)
        .filter(|f| f.references.is_some())
        .count();
    assert_eq!((imported.entities.len(), fields, references), (48, 359, 68));
    let files = norm_import::write::files(&imported).expect("writes");
    assert_eq!(files.len(), 49);
}
