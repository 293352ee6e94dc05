//! Event streams when the runtime is built without its `event-stream` feature (crates whose
//! models have no event streams): only the name the orchestrator refers to, as a type with no
//! values, so no code path that sends events exists.

/// An input event stream's messages; without the `event-stream` feature there are none.
#[doc(hidden)]
#[derive(Debug)]
pub enum EventStreamBody {}

impl EventStreamBody {
    /// Never called: there is no value to call it on.
    pub fn signed(
        self,
        _signer: crate::sign::Signer,
        _credentials: crate::credentials::Credentials,
        _seed: String,
    ) -> crate::byte_stream::ByteStream {
        match self {}
    }
}
