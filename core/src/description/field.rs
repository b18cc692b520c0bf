//! One field of a resource, as the reference documents it.

/// What JSON value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A JSON string without a documented format.
    String,
    /// A string holding a uuid.
    Uuid,
    /// A string holding a calendar date, `YYYY-MM-DD`.
    Date,
    /// A string holding an RFC 3339 date-time.
    DateTime,
    /// A JSON integer (the reference shows `int32` for every integer).
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A relation, sent and received as `{"id": "<uuid>"}`.
    Relation,
    /// A JSON object whose keys the reference does not list.
    Object,
    /// A JSON array.
    Array(ItemKind),
    /// Anything: the reference types the field as `any`.
    Any,
}

/// What the items of an array field hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// Relations, `{"id": "<uuid>"}`.
    Relation,
    /// Strings.
    String,
    /// Values whose schema the reference does not show.
    Any,
}

/// A checked format on a string field, beyond length and pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    /// An e-mail address (the reference caps it at 254 characters).
    Email,
    /// A Swedish personal identity number or organisation number whose last ten
    /// digits pass the Luhn (mod 10) check.
    Luhn,
    /// A GS1 Global Location Number whose last digit is the GS1 mod-10 check digit.
    Gln13,
}

/// One documented value of an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumValue {
    /// An integer value.
    Int(i64),
    /// A string value.
    Str(&'static str),
}

/// The documented values of an enum field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumValues {
    /// The values the reference lists.
    pub values: &'static [EnumValue],
    /// `false` when the reference may have cut the list (its HTML view shows at most
    /// ten values); such an enum is not enforced, since a valid value may be missing.
    pub complete: bool,
}

/// One field of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name, as the API spells it.
    pub name: &'static str,
    /// What JSON value it holds.
    pub kind: ValueKind,
    /// `null` is accepted.
    pub nullable: bool,
    /// Sent by the server only; ignored when written.
    pub read_only: bool,
    /// Must be present when an object is created.
    pub required: bool,
    /// "Must be unique": only a server can check it, so only the sandbox enforces it.
    pub unique: bool,
    /// Minimum length in characters (Unicode scalar values).
    pub min_length: Option<u32>,
    /// Maximum length in characters (Unicode scalar values).
    pub max_length: Option<u32>,
    /// The documented pattern, in the reference's (Python) syntax.
    pub pattern: Option<&'static str>,
    /// A checked string format.
    pub format: Option<StringFormat>,
    /// Inclusive integer bounds.
    pub minimum: Option<i64>,
    /// Inclusive integer bounds.
    pub maximum: Option<i64>,
    /// The documented enum values.
    pub enum_values: Option<EnumValues>,
    /// The resource a relation points at, when the reference names it.
    pub target: Option<&'static str>,
    /// What the reference leaves unclear about this field.
    pub note: Option<&'static str>,
}

impl FieldSpec {
    /// A field of the given kind with no flags and no limits.
    pub const fn new(name: &'static str, kind: ValueKind) -> Self {
        FieldSpec {
            name,
            kind,
            nullable: false,
            read_only: false,
            required: false,
            unique: false,
            min_length: None,
            max_length: None,
            pattern: None,
            format: None,
            minimum: None,
            maximum: None,
            enum_values: None,
            target: None,
            note: None,
        }
    }
    /// Marks the field as accepting `null`.
    pub const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }
    /// Marks the field as read-only.
    pub const fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }
    /// Marks the field as required on create.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    /// Marks the field as unique.
    pub const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    /// Sets the minimum length in characters.
    pub const fn min_length(mut self, n: u32) -> Self {
        self.min_length = Some(n);
        self
    }
    /// Sets the maximum length in characters.
    pub const fn max_length(mut self, n: u32) -> Self {
        self.max_length = Some(n);
        self
    }
    /// Sets the documented pattern.
    pub const fn pattern(mut self, p: &'static str) -> Self {
        self.pattern = Some(p);
        self
    }
    /// Sets the checked string format.
    pub const fn format(mut self, f: StringFormat) -> Self {
        self.format = Some(f);
        self
    }
    /// Sets the inclusive integer bounds.
    pub const fn range(mut self, min: i64, max: i64) -> Self {
        self.minimum = Some(min);
        self.maximum = Some(max);
        self
    }
    /// Sets the documented enum values.
    pub const fn enum_values(mut self, values: &'static [EnumValue], complete: bool) -> Self {
        self.enum_values = Some(EnumValues { values, complete });
        self
    }
    /// Names the resource a relation points at.
    pub const fn target(mut self, t: &'static str) -> Self {
        self.target = Some(t);
        self
    }
    /// Attaches a note on what the reference leaves unclear.
    pub const fn note(mut self, n: &'static str) -> Self {
        self.note = Some(n);
        self
    }
    /// Whether a client may send this field.
    pub const fn writable(&self) -> bool {
        !self.read_only
    }
}
