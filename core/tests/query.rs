//! The list query: one parser and one encoder, shared by the client and the
//! sandbox, so what one writes the other reads back unchanged.

use chrono::NaiveDate;
use pigello::client::Query;
use pigello::description::{Operator, OperatorKind};
use pigello::query::{
    Filter, FilterValue, ListQuery, OrderBy, Page, ScalarKind, filterable, split_param,
};
use pigello::resources::{
    ORGANIZATION_USER, ORGANIZATION_USER_SEGMENT, SUBTENANT_TENANT_CONNECTION, TENANT,
};
use uuid::Uuid;

#[test]
fn parameter_names_split_into_field_operator_and_negation() {
    assert_eq!(
        split_param("first_name"),
        ("first_name", Operator::Exact, false)
    );
    assert_eq!(
        split_param("first_name!"),
        ("first_name", Operator::Exact, true)
    );
    assert_eq!(
        split_param("custom_id__icontains!"),
        ("custom_id", Operator::Icontains, true)
    );
    assert_eq!(
        split_param("created_at__gte"),
        ("created_at", Operator::Gte, false)
    );
    assert_eq!(split_param("a__b"), ("a__b", Operator::Exact, false));
    assert_eq!(split_param("x__"), ("x__", Operator::Exact, false));
}

#[test]
fn which_fields_can_be_filtered_and_how() {
    // Documented filters keep their documented operators.
    let f = filterable(&ORGANIZATION_USER_SEGMENT, "custom_id").expect("documented");
    assert_eq!(f.operators, OperatorKind::Text);
    // A complete filter list refuses anything else.
    assert!(ORGANIZATION_USER_SEGMENT.filters_complete);
    assert_eq!(filterable(&ORGANIZATION_USER_SEGMENT, "not_there"), None);
    // A cut list falls back on the operators of the field's kind.
    assert!(!TENANT.filters_complete);
    let f = filterable(&TENANT, "birth_date").expect("a field");
    assert_eq!(
        (f.operators, f.value),
        (OperatorKind::Ordered, ScalarKind::Date)
    );
    let f = filterable(&TENANT, "anonymized").expect("a field");
    assert_eq!(
        (f.operators, f.value),
        (OperatorKind::Identity, ScalarKind::Boolean)
    );
    assert_eq!(
        filterable(&TENANT, "profile_picture"),
        None,
        "an object is not filterable"
    );
    // A documented filter whose operators were cut takes its field's kind.
    let f = filterable(&ORGANIZATION_USER, "birth_date").expect("documented");
    assert_eq!(f.operators, OperatorKind::Ordered);
    // Array parameters take ids.
    let f = filterable(&ORGANIZATION_USER, "global_segments").expect("documented");
    assert_eq!(
        (f.operators, f.value),
        (OperatorKind::Identity, ScalarKind::Uuid)
    );
    let f = filterable(&SUBTENANT_TENANT_CONNECTION, "category").expect("documented");
    assert_eq!(
        (f.operators, f.value),
        (OperatorKind::Ordered, ScalarKind::Integer)
    );
}

fn filter(field: &str, op: Operator, negate: bool, raw: &str) -> Filter {
    Filter::parse(&TENANT, field, op, negate, raw).expect("a valid filter")
}

#[test]
fn the_query_string_is_pinned_for_each_kind() {
    let id = Uuid::from_u128(1);
    let query = ListQuery {
        filters: vec![
            filter("first_name", Operator::Icontains, false, "an"),
            filter("last_name", Operator::Exact, true, "Öberg & Co"),
            filter("birth_date", Operator::Gte, false, "1980-01-01"),
            filter(
                "active_to",
                Operator::Lt,
                false,
                "2025-01-01T00:00:00+01:00",
            ),
            filter("anonymized", Operator::Exact, false, "True"),
            filter("id", Operator::In, false, &format!("{id},{id}")),
            filter("ssn", Operator::Isnull, true, "1"),
        ],
        order_by: vec![
            OrderBy {
                field: "last_name".into(),
                descending: false,
            },
            OrderBy {
                field: "birth_date".into(),
                descending: true,
            },
        ],
        page: Some(Page {
            number: 2,
            size: 50,
        }),
        search: Some("a+b".into()),
        slim: true,
        statistics: false,
        jsonl: true,
        extra: Vec::new(),
    };
    assert_eq!(
        query.to_query_string(),
        "first_name__icontains=an\
         &last_name%21=%C3%96berg+%26+Co\
         &birth_date__gte=1980-01-01\
         &active_to__lt=2025-01-01T00%3A00%3A00%2B01%3A00\
         &anonymized=true\
         &id__in=00000000-0000-0000-0000-000000000001%2C00000000-0000-0000-0000-000000000001\
         &ssn__isnull%21=true\
         &_order_by=last_name%2C-birth_date\
         &_page=2&_page_size=50\
         &_search=a%2Bb\
         &_slim=true&_jsonl=true"
    );
    let back = ListQuery::parse_query_string(&TENANT, &query.to_query_string()).expect("parses");
    assert_eq!(back, query);
}

#[test]
fn values_are_parsed_for_the_fields_kind() {
    assert_eq!(
        filter("birth_date", Operator::Lte, false, "2024-02-29").value,
        FilterValue::Date(NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date"))
    );
    assert_eq!(
        filter("first_name", Operator::Exact, false, "42").value,
        FilterValue::Text("42".into())
    );
    // A value prints back as the API expects it.
    assert_eq!(
        filter("birth_date", Operator::Exact, false, "1980-01-01")
            .value
            .to_string(),
        "1980-01-01"
    );
    // Text operators are for text fields only.
    let e = Filter::parse(&TENANT, "birth_date", Operator::Icontains, false, "19")
        .expect_err("not for dates");
    assert_eq!(
        (e.param.as_str(), e.code),
        ("birth_date__icontains", "unsupported_operator")
    );
    let e = Filter::parse(&TENANT, "birth_date", Operator::Gt, true, "1980-13-01")
        .expect_err("a bad date");
    assert_eq!(
        (e.param.as_str(), e.code),
        ("birth_date__gt!", "invalid_value")
    );
    let e = Filter::parse(&TENANT, "id", Operator::In, false, "1,2").expect_err("not uuids");
    assert_eq!(e.code, "invalid_value");
}

#[test]
fn dates_are_read_only_in_the_shape_they_are_written() {
    // A date is `YYYY-MM-DD` exactly; chrono alone also reads these, and the
    // encoder would then send a value (`-0009-12-03`) nothing reads back.
    for (field, raw) in [
        ("birth_date", "-009-12-03"),
        ("birth_date", "1980-1-01"),
        ("birth_date", "+1980-01-01"),
        ("created_at", "-009-12-3"),
        ("created_at", "1980-1-1"),
    ] {
        let e =
            Filter::parse(&TENANT, field, Operator::Lt, false, raw).expect_err("not YYYY-MM-DD");
        assert_eq!(e.code, "invalid_value", "{field}={raw}");
    }
    // What is read is written back unchanged, for both kinds.
    for (field, raw, written) in [
        ("birth_date", "0009-12-03", "0009-12-03"),
        ("created_at", "0009-12-03", "0009-12-03T00:00:00+00:00"),
        (
            "created_at",
            "2024-02-29T10:00:00+01:00",
            "2024-02-29T10:00:00+01:00",
        ),
    ] {
        let value = filter(field, Operator::Lt, false, raw).value;
        assert_eq!(value.to_string(), written, "{field}={raw}");
        assert_eq!(filter(field, Operator::Lt, false, written).value, value);
    }
}

#[test]
fn a_point_in_time_from_a_binding_filters_as_its_field_needs_it() {
    use pigello::model::INSTANT_KEY;
    let late = serde_json::json!({ INSTANT_KEY: "1981-12-18T23:30:00.000Z" });
    let query = Query::new(&TENANT)
        .filter("birth_date__lt", &late)
        .filter("birth_date__in", serde_json::json!([late, "1990-01-01"]))
        .filter("created_at__gte", &late)
        .extra_query("beta_since", &late)
        .build()
        .expect("valid");
    assert_eq!(
        query.to_pairs(),
        [
            ("birth_date__lt", "1981-12-18"),
            ("birth_date__in", "1981-12-18,1990-01-01"),
            ("created_at__gte", "1981-12-18T23:30:00+00:00"),
            ("beta_since", "1981-12-18T23:30:00.000Z"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    // Any other object stays refused.
    let refused = Query::new(&TENANT)
        .filter(
            "created_at__gte",
            serde_json::json!({ INSTANT_KEY: "x", "y": 1 }),
        )
        .build()
        .expect_err("an object");
    assert!(
        refused.to_string().contains("a filter value is text"),
        "{refused}"
    );
}

#[test]
fn every_problem_of_a_query_is_reported() {
    let errors = ListQuery::parse(
        &TENANT,
        [
            ("_page", "0"),
            ("nope", "1"),
            ("_order_by", "-nope"),
            ("_x", "1"),
            ("_slim", "yes"),
        ],
    )
    .expect_err("five problems");
    let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.param.as_str(), e.code)).collect();
    assert_eq!(
        codes,
        vec![
            ("_page", "minimum"),
            ("nope", "unknown_filter"),
            ("_order_by", "unknown_order_field"),
            ("_x", "unknown_parameter"),
            ("_slim", "invalid_value"),
            ("_page", "set_together_with"),
        ]
    );
}

#[test]
fn extra_parameters_go_last_as_given_and_paging_stays_the_clients() {
    let query = Query::new(&TENANT)
        .filter("first_name", "Anna")
        .extra_query("beta", "on & off")
        .page(1, 10)
        .build()
        .expect("builds");
    assert_eq!(
        query.to_query_string(),
        "first_name=Anna&_page=1&_page_size=10&beta=on+%26+off"
    );
    let refused = Query::new(&TENANT)
        .extra_query("_page", 3)
        .extra_query("x", serde_json::Value::Null)
        .build()
        .expect_err("refused")
        .to_string();
    assert!(
        refused.contains("_page") && refused.contains("reserved_parameter"),
        "{refused}"
    );
    assert!(
        refused.contains("x:") && refused.contains("null"),
        "{refused}"
    );
}

#[test]
fn null_and_object_filter_values_are_refused_and_pages_keep_the_servers_bounds() {
    let refused = Query::new(&TENANT)
        .filter("first_name", serde_json::Value::Null)
        .filter("last_name__in", serde_json::json!(["a", null]))
        .filter("custom_id", serde_json::json!({"a": 1}))
        .page(1, u32::MAX)
        .build()
        .expect_err("refused");
    let pigello::Error::Query { problems, .. } = refused else {
        panic!("a query error");
    };
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.param.as_str(), p.code))
        .collect();
    assert_eq!(
        found,
        [
            ("first_name", "invalid_value"),
            ("last_name__in", "invalid_value"),
            ("custom_id", "invalid_value"),
            ("_page_size", "maximum"),
        ]
    );
}

#[test]
fn the_documented_list_parameters_are_the_ones_the_parser_reads() {
    for name in pigello::query::LIST_PARAMS {
        let pairs: Vec<(&str, &str)> = match name {
            "_page" | "_page_size" => vec![("_page", "1"), ("_page_size", "1")],
            "_order_by" => vec![(name, "id")],
            "_search" => vec![(name, "x")],
            _ => vec![(name, "true")],
        };
        assert!(ListQuery::parse(&TENANT, pairs).is_ok(), "{name}");
    }
    let unknown = ListQuery::parse(&TENANT, [("_fields", "id")]).expect_err("refused");
    assert_eq!(unknown[0].code, "unknown_parameter");
}
