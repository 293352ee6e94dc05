//! HTTP binding index: which member goes to the label, query, header, payload or body.
//! (Owned by the wire work.)
