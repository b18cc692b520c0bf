//! An OpenAPI 3.1 document of the Accounts API, generated from the same
//! description the SDK and the sandbox run on.

use pigello::Credentials;
use pigello::description::{EnumValue, FieldSpec, ItemKind, ResourceSpec, StringFormat, ValueKind};
use pigello::query::{filter_params, param_name};
use serde_json::{Map, Value, json};

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        "Ref".into(),
        json!({
            "type": "object",
            "properties": { "id": { "type": "string", "format": "uuid" } },
            "description": "A related object, sent and received as {\"id\": \"<uuid>\"}."
        }),
    );
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "required": ["status", "code", "detail", "errors"],
            "properties": {
                "status": { "type": "integer" },
                "code": { "type": "string" },
                "detail": { "type": "string" },
                "errors": { "type": "array", "items": {
                    "type": "object",
                    "required": ["field", "code", "message"],
                    "properties": {
                        "field": { "type": "string" },
                        "code": { "type": "string" },
                        "message": { "type": "string" }
                    }
                }}
            }
        }),
    );
    for spec in pigello::resources::ALL {
        schemas.insert(spec.name.into(), schema(spec));
        resource_paths(spec, &mut paths);
    }
    let schemes: Map<String, Value> = Credentials::NAMES
        .iter()
        .map(|n| {
            (
                n.field.to_owned(),
                json!({ "type": "apiKey", "in": "header", "name": n.header }),
            )
        })
        .collect();
    let requirement: Map<String, Value> = Credentials::NAMES
        .iter()
        .map(|n| (n.field.to_owned(), json!([])))
        .collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Pigello Core API: Accounts",
            "version": "2.0.0",
            "description": "Generated from the SDK's description of the documented API (spec/accounts.json)."
        },
        "servers": [
            { "url": "https://api.pigello.io", "description": "production" },
            { "url": "https://dev.api.pigello.io", "description": "development" }
        ],
        "security": [requirement],
        "paths": paths,
        "components": { "schemas": schemas, "securitySchemes": schemes }
    })
}

fn field_schema(field: &FieldSpec) -> Value {
    let mut s = Map::new();
    let (ty, format) = match field.kind {
        ValueKind::String => ("string", None),
        ValueKind::Uuid => ("string", Some("uuid")),
        ValueKind::Date => ("string", Some("date")),
        ValueKind::DateTime => ("string", Some("date-time")),
        ValueKind::Integer => ("integer", Some("int32")),
        ValueKind::Boolean => ("boolean", None),
        ValueKind::Relation => {
            s.insert("$ref".into(), json!("#/components/schemas/Ref"));
            ("", None)
        }
        ValueKind::Object => ("object", None),
        ValueKind::Array(item) => {
            let items = match item {
                ItemKind::Relation => json!({ "$ref": "#/components/schemas/Ref" }),
                ItemKind::String => json!({ "type": "string" }),
                ItemKind::Any => json!({}),
            };
            s.insert("items".into(), items);
            ("array", None)
        }
        ValueKind::Any => ("", None),
    };
    if !ty.is_empty() {
        let ty = if field.nullable {
            json!([ty, "null"])
        } else {
            json!(ty)
        };
        s.insert("type".into(), ty);
    } else if field.nullable && s.contains_key("$ref") {
        let inner = Value::Object(std::mem::take(&mut s));
        s.insert("oneOf".into(), json!([inner, { "type": "null" }]));
    }
    let format = match field.format {
        Some(StringFormat::Email) => Some("email"),
        _ => format,
    };
    if let Some(f) = format {
        s.insert("format".into(), json!(f));
    }
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            s.insert(k.into(), v);
        }
    };
    put("readOnly", field.read_only.then_some(json!(true)));
    put("minLength", field.min_length.map(|n| json!(n)));
    put("maxLength", field.max_length.map(|n| json!(n)));
    put("pattern", field.pattern.map(|p| json!(p)));
    put("minimum", field.minimum.map(|n| json!(n)));
    put("maximum", field.maximum.map(|n| json!(n)));
    let enumerated = field.enum_values.filter(|e| e.complete).map(|e| {
        let values: Vec<Value> = e
            .values
            .iter()
            .map(|v| match v {
                EnumValue::Int(n) => json!(n),
                EnumValue::Str(s) => json!(s),
            })
            .collect();
        json!(values)
    });
    put("enum", enumerated);
    let mut notes = Vec::new();
    if let Some(f @ (StringFormat::Luhn | StringFormat::Gln13)) = field.format {
        notes.push(format!("checked: {f:?}"));
    }
    if field.unique {
        notes.push("must be unique".to_owned());
    }
    if let Some(target) = field.target {
        notes.push(format!("refers to {target}"));
    }
    if let Some(note) = field.note {
        notes.push(note.to_owned());
    }
    put(
        "description",
        (!notes.is_empty()).then(|| json!(notes.join("; "))),
    );
    Value::Object(s)
}

fn schema(spec: &ResourceSpec) -> Value {
    let properties: Map<String, Value> = spec
        .fields
        .iter()
        .map(|f| (f.name.to_owned(), field_schema(f)))
        .collect();
    let required: Vec<&str> = spec
        .fields
        .iter()
        .filter(|f| f.required && f.writable())
        .map(|f| f.name)
        .collect();
    json!({ "type": "object", "properties": properties, "required": required, "description": spec.coverage })
}

fn resource_paths(spec: &ResourceSpec, paths: &mut Map<String, Value>) {
    let one = json!({ "$ref": format!("#/components/schemas/{}", spec.name) });
    let many = json!({ "type": "array", "items": one });
    let body = |schema: &Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let answer = |text: &str, schema: &Value| json!({ "description": text, "content": { "application/json": { "schema": schema } } });
    let error = json!({ "description": "refused", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let tag = json!([spec.name]);
    let pk = json!([{ "name": "pk", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }]);
    paths.insert(spec.paths.collection.into(), json!({
        "post": { "tags": tag, "operationId": format!("create_{}", spec.snake), "requestBody": body(&one),
                  "responses": { "201": answer("Successful creation", &one), "400": error } }
    }));
    paths.insert(spec.paths.list.into(), json!({
        "get": { "tags": tag, "operationId": format!("list_{}", spec.snake_plural), "parameters": list_parameters(spec),
                 "responses": { "200": answer("Successful query", &many), "400": error } },
        "post": { "tags": tag, "operationId": format!("bulk_write_{}", spec.snake_plural), "requestBody": body(&many),
                  "responses": { "201": answer("Successful bulk create/update", &many), "400": error } }
    }));
    paths.insert(spec.paths.single.into(), json!({
        "parameters": pk,
        "get": { "tags": tag, "operationId": format!("get_{}", spec.snake),
                 "responses": { "200": answer("Successful selection", &one), "404": error } },
        "patch": { "tags": tag, "operationId": format!("update_{}", spec.snake), "requestBody": body(&json!({ "$ref": format!("#/components/schemas/{}", spec.name) })),
                   "responses": { "200": answer("Successful update", &one), "400": error, "404": error } },
        "delete": { "tags": tag, "operationId": format!("delete_{}", spec.snake),
                    "responses": { "204": { "description": "Successful deletion" }, "404": error, "409": error } }
    }));
    if let Some(path) = spec.invite_path {
        paths.insert(path.into(), json!({
            "post": { "tags": tag, "operationId": format!("invite_{}", spec.snake), "requestBody": body(&json!({})),
                      "responses": { "201": answer("Successful creation", &json!({})) } }
        }));
    }
}

fn list_parameters(spec: &ResourceSpec) -> Value {
    let q = |name: &str, schema: Value, description: &str| json!({ "name": name, "in": "query", "required": false, "schema": schema, "description": description });
    let mut out = vec![
        q(
            "_page",
            json!({ "type": "integer", "minimum": 1 }),
            "page number, 1-based; set together with _page_size",
        ),
        q(
            "_page_size",
            json!({ "type": "integer", "minimum": 1 }),
            "rows per page; set together with _page",
        ),
        q(
            "_order_by",
            json!({ "type": "string" }),
            "comma-separated fields, '-' for descending",
        ),
        q("_search", json!({ "type": "string" }), "free-text search"),
        q(
            "_slim",
            json!({ "type": "boolean" }),
            "a slimmer representation",
        ),
        q(
            "_statistics",
            json!({ "type": "boolean" }),
            "statistics about the query",
        ),
        q(
            "_jsonl",
            json!({ "type": "boolean" }),
            "one JSON object per line",
        ),
    ];
    for (name, how) in filter_params(spec) {
        for &op in how.operators.operators() {
            out.push(q(
                &param_name(name, op, false),
                json!({ "type": "string" }),
                "negate by appending '!' to the name",
            ));
        }
    }
    json!(out)
}
