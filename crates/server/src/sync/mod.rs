//! The phones' sync, server side: [`push`] applies numbered mutations exactly once, [`pull`]
//! assembles what changed as the caller may see it, [`events`] tells connected phones to pull.

pub mod events;
pub mod pull;
pub mod push;
