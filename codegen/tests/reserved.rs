//! No documented field or filter is named like an option: such a name would be
//! read as the option (Python's `timeout=`) and never sent, so the generator
//! refuses a spec that has one.

use pigello::description::{FieldSpec, Paths, ResourceSpec, ValueKind};
use pigello_codegen::options::reserved_collisions;

fn resource(fields: &'static [FieldSpec]) -> &'static ResourceSpec {
    Box::leak(Box::new(ResourceSpec {
        name: "Gadget",
        snake: "gadget",
        snake_plural: "gadgets",
        camel_plural: "gadgets",
        paths: Paths {
            collection: "/gadget/",
            single: "/gadget/{id}/",
            list: "/gadget/list/",
        },
        invite_path: None,
        fields,
        cross_rules: &[],
        filters: &[],
        filters_complete: true,
        array_params: &[],
        coverage: "",
    }))
}

#[test]
fn the_documented_resources_use_no_reserved_name() {
    let specs: Vec<&'static ResourceSpec> = pigello::resources::ALL.to_vec();
    assert_eq!(reserved_collisions(&specs), Vec::<String>::new());
}

#[test]
fn a_field_named_like_an_option_is_refused() {
    static FIELDS: [FieldSpec; 2] = [
        FieldSpec::new("name", ValueKind::String),
        FieldSpec::new("extra_query", ValueKind::String),
    ];
    let found = reserved_collisions(&[resource(&FIELDS)]);
    assert_eq!(
        found,
        vec!["Gadget: the field extra_query is an option's name"]
    );
}
