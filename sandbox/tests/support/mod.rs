//! A sandbox on a free loopback port and an HTTP client that talks to it, so
//! every test goes over real HTTP.
#![allow(dead_code)]

use pigello::Credentials;
use pigello_sandbox::{FIRST_CUSTOMER, Sandbox, SandboxConfig};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

pub use serde_json::json;

pub struct Env {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
    pub url: String,
}

/// What a call got back.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Answer {
    /// The `(field, code)` pairs of an error body.
    pub fn problems(&self) -> Vec<(String, String)> {
        self.json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["field"].as_str().unwrap_or("").to_owned(),
                    e["code"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }

    pub fn has(&self, field: &str, code: &str) -> bool {
        self.problems().iter().any(|(f, c)| f == field && c == code)
    }

    pub fn id(&self) -> String {
        self.json["id"].as_str().expect("an id").to_owned()
    }
}

pub async fn start(tenants: usize) -> Env {
    start_with(SandboxConfig {
        tenants,
        ..Default::default()
    })
    .await
}

pub async fn start_with(config: SandboxConfig) -> Env {
    let sandbox = Sandbox::start(config).await.expect("sandbox starts");
    let url = sandbox.url();
    Env {
        sandbox,
        http: reqwest::Client::new(),
        url,
    }
}

/// The path of a resource's operation (`collection`, `list`, or one id).
pub fn path(resource: &str, which: &str) -> String {
    let spec = pigello::resources::find(resource).expect("a resource");
    match which {
        "collection" => spec.paths.collection.to_owned(),
        "list" => spec.paths.list.to_owned(),
        id => spec.paths.single.replace("{pk}", id),
    }
}

impl Env {
    pub fn credentials(&self) -> Credentials {
        self.sandbox.credentials()
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        self.call_as(&self.credentials(), method, path, body).await
    }

    pub async fn call_as(
        &self,
        credentials: &Credentials,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        for (header, value) in credentials.headers() {
            request = request.header(header, value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.expect("the sandbox answers")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.call(Method::DELETE, path, None).await
    }

    /// Every row of a resource for the first customer.
    pub async fn all(&self, resource: &str) -> Vec<Value> {
        let a = self.get(&path(resource, "list")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        a.json.as_array().expect("an array").clone()
    }

    /// A list query's rows (the query string after `?`).
    pub async fn list(&self, resource: &str, query: &str) -> Answer {
        self.get(&format!("{}?{query}", path(resource, "list")))
            .await
    }

    /// A control endpoint.
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = self
            .http
            .request(method, format!("{}/_sandbox/{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.expect("the sandbox answers")).await
    }
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        text,
        json,
    }
}

/// An id that names nothing.
pub fn unknown_id() -> String {
    Uuid::from_u128(0x1234_5678_9abc_4def_8000_0000_0000_0001).to_string()
}

pub fn first_customer() -> Uuid {
    FIRST_CUSTOMER
}

/// The writable fields of a stored object, as a body that recreates it.
pub fn writable_copy(resource: &str, object: &Value) -> Value {
    let spec = pigello::resources::find(resource).expect("a resource");
    let body: serde_json::Map<String, Value> = object
        .as_object()
        .expect("an object")
        .iter()
        .filter(|(k, _)| spec.field(k).is_some_and(|f| f.writable()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(body)
}
