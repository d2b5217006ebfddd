//! The server's last line of defence: a panic while answering one message
//! (a bug, or one in a crate we call) answers that request with an
//! internal error naming the panic, and the server goes on serving the
//! others. Without it the panic unwinds through tower-lsp's serve loop
//! and the editor is left with a server that no longer answers.

use std::panic::{self, AssertUnwindSafe};
use std::task::{Context, Poll};

use futures::FutureExt;
use futures::future::BoxFuture;
use tower_lsp::jsonrpc::{Error, ErrorCode, Request, Response};
use tower_service::Service;

/// `S` with each call's panic caught ([the module](self)).
pub struct PanicGuard<S>(pub S);

impl<S> Service<Request> for PanicGuard<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let id = request.id().cloned();
        let method = request.method().to_owned();
        // Unwind safety: a handler reads a snapshot of the graph and the
        // documents; what it was building when it panicked is dropped with it.
        // The panic may come while the handler is called or while its
        // answer is polled.
        let answer = match panic::catch_unwind(AssertUnwindSafe(|| self.0.call(request))) {
            Ok(future) => AssertUnwindSafe(future).catch_unwind().boxed(),
            Err(panic) => futures::future::ready(Err(panic)).boxed(),
        };
        answer
            .map(move |answered| {
                answered.unwrap_or_else(|panic| {
                    let why = panic_message(panic.as_ref());
                    tracing::error!("{method} panicked: {why}; the server goes on");
                    let error = Error { code: ErrorCode::InternalError, message: format!("pyloom failed on {method}: {why}").into(), data: None };
                    Ok(id.map(|id| Response::from_error(id, error)))
                })
            })
            .boxed()
    }
}

/// What a panic said, when it said it as text.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic.downcast_ref::<&str>().copied().or_else(|| panic.downcast_ref::<String>().map(String::as_str)).unwrap_or("a panic without a message")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers `ok` with nothing; panics when called for `sync/...` and
    /// when its answer is polled for anything else.
    struct Panicky;

    impl Service<Request> for Panicky {
        type Response = Option<Response>;
        type Error = std::convert::Infallible;
        type Future = BoxFuture<'static, Result<Option<Response>, Self::Error>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            let method = request.method().to_owned();
            assert!(!method.starts_with("sync/"), "no handler for {method}");
            async move {
                assert!(method == "ok", "no answer for {method}");
                Ok(None)
            }
            .boxed()
        }
    }

    fn answer(method: &str, id: Option<i64>) -> Option<Response> {
        let builder = Request::build(method.to_owned());
        let request = match id {
            Some(id) => builder.id(id).finish(),
            None => builder.finish(),
        };
        let answered = futures::executor::block_on(PanicGuard(Panicky).call(request));
        answered.unwrap_or_else(|never| match never {})
    }

    #[test]
    fn a_panicking_request_is_answered_with_an_internal_error() {
        let response = answer("textDocument/hover", Some(7)).expect("a request gets a response");
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["id"], 7);
        assert_eq!(json["error"]["code"], -32603);
        assert_eq!(json["error"]["message"], "pyloom failed on textDocument/hover: no answer for textDocument/hover");
        let response = answer("sync/hover", Some(8)).expect("a request gets a response");
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["error"]["message"], "pyloom failed on sync/hover: no handler for sync/hover");
    }

    #[test]
    fn a_panicking_notification_gets_no_response() {
        assert_eq!(answer("textDocument/didChange", None), None);
    }

    /// Must-not twin: what does not panic is passed through untouched.
    #[test]
    fn an_answer_passes_through() {
        assert_eq!(answer("ok", Some(1)), None);
    }
}
