//! What the HTTP trace layer counts as a failure (logged at ERROR): every 5xx but the
//! maintenance gate's planned 503s. A planned window is not an error; the gate logs it once, at
//! INFO, with its count (`app::maintenance::cache::RefusalLog`), instead of one ERROR line per
//! request.

use app::maintenance::http::MaintenanceAnswer;
use axum::http::Response;
use tower_http::classify::{
    ClassifiedResponse, ClassifyResponse, NeverClassifyEos, ServerErrorsAsFailures,
    ServerErrorsFailureClass, SharedClassifier,
};

/// [`ServerErrorsAsFailures`], except for responses the maintenance gate marked.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServerErrorsButMaintenance;

impl ServerErrorsButMaintenance {
    /// The classifier for `TraceLayer::new`.
    pub fn make_classifier() -> SharedClassifier<Self> {
        SharedClassifier::new(Self)
    }
}

impl ClassifyResponse for ServerErrorsButMaintenance {
    type FailureClass = ServerErrorsFailureClass;
    type ClassifyEos = NeverClassifyEos<ServerErrorsFailureClass>;

    fn classify_response<B>(
        self,
        res: &Response<B>,
    ) -> ClassifiedResponse<Self::FailureClass, Self::ClassifyEos> {
        if res.extensions().get::<MaintenanceAnswer>().is_some() {
            return ClassifiedResponse::Ready(Ok(()));
        }
        ServerErrorsAsFailures::new().classify_response(res)
    }

    fn classify_error<E>(self, error: &E) -> Self::FailureClass
    where
        E: std::fmt::Display + 'static,
    {
        ServerErrorsAsFailures::new().classify_error(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    fn failed(status: StatusCode, maintenance: bool) -> bool {
        let mut res = Response::new(());
        *res.status_mut() = status;
        if maintenance {
            res.extensions_mut().insert(MaintenanceAnswer);
        }
        match ServerErrorsButMaintenance.classify_response(&res) {
            ClassifiedResponse::Ready(result) => result.is_err(),
            ClassifiedResponse::RequiresEos(_) => panic!("classified at once"),
        }
    }

    #[test]
    fn maintenance_503s_are_not_failures_and_other_5xx_stay_failures() {
        assert!(!failed(StatusCode::SERVICE_UNAVAILABLE, true));
        assert!(failed(StatusCode::SERVICE_UNAVAILABLE, false));
        assert!(failed(StatusCode::INTERNAL_SERVER_ERROR, false));
        assert!(failed(StatusCode::GATEWAY_TIMEOUT, false));
        assert!(!failed(StatusCode::OK, false));
        assert!(!failed(StatusCode::NOT_FOUND, false));
    }
}
