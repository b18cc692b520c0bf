//! One resource: where it lives, what it holds, which rules tie its fields together.

use super::{FieldSpec, FilterSpec};

/// The three paths of a resource; every path ends with `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paths {
    /// `POST` creates.
    pub collection: &'static str,
    /// `GET`, `PATCH` and `DELETE` one object; `{pk}` stands for its id.
    pub single: &'static str,
    /// `GET` lists, `POST` writes in bulk.
    pub list: &'static str,
}

impl Paths {
    /// The single-object path for one id.
    pub fn single_for(&self, id: &uuid::Uuid) -> String {
        self.single.replace("{pk}", &id.to_string())
    }
}

/// A rule that ties several fields of one object together. Each names the fields
/// as the API spells them; the docs phrase is in `validation_rule_vocabulary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossRule {
    /// "This value can't be set, when any of the following fields are set".
    CannotBeSetWith {
        field: &'static str,
        others: &'static [&'static str],
    },
    /// "This field, or at least one of the following fields must be set": one
    /// rule per group, however many fields of the group repeat it.
    AtLeastOneOf { fields: &'static [&'static str] },
    /// "This value requires that the following fields are also set".
    Requires {
        field: &'static str,
        others: &'static [&'static str],
    },
    /// "This value must be set together with the following fields": all or none.
    SetTogetherWith { fields: &'static [&'static str] },
    /// "This value must be set in a proper order, in relation to": `earlier` must
    /// not come after `later` when both are set.
    OrderedWith {
        earlier: &'static str,
        later: &'static str,
    },
    /// "This value must match with the values of these fields": every item of
    /// `field` must be one of the items of `source`.
    MustMatchValuesOf {
        field: &'static str,
        source: &'static str,
    },
}

/// One resource of the Accounts application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceSpec {
    /// The resource's name, as the API spells it (`Organizationuserworkengagement`).
    pub name: &'static str,
    /// Singular snake_case (`organization_user_work_engagement`).
    pub snake: &'static str,
    /// Plural snake_case, the Python attribute (`organization_user_work_engagements`).
    pub snake_plural: &'static str,
    /// Plural camelCase, the Node property (`organizationUserWorkEngagements`).
    pub camel_plural: &'static str,
    /// Where the resource lives.
    pub paths: Paths,
    /// The invite endpoint, on the three resources that have one.
    pub invite_path: Option<&'static str>,
    /// Every documented field, in the reference's order.
    pub fields: &'static [FieldSpec],
    /// The rules that tie fields together.
    pub cross_rules: &'static [CrossRule],
    /// The documented list filters.
    pub filters: &'static [FilterSpec],
    /// `true` when the reference shows the whole filter list.
    pub filters_complete: bool,
    /// Array-valued list parameters (`tags`, `global_realestates`, ...).
    pub array_params: &'static [&'static str],
    /// How much of the resource the reference shows.
    pub coverage: &'static str,
}

impl ResourceSpec {
    /// The field of that name, if documented.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The fields a client may send.
    pub fn writable_fields(&self) -> impl Iterator<Item = &'static FieldSpec> {
        self.fields.iter().filter(|f| f.writable())
    }

    /// The documented filter of that name.
    pub fn filter(&self, name: &str) -> Option<&'static FilterSpec> {
        self.filters.iter().find(|f| f.name == name)
    }
}
