//! Lesson 04: sticky packets (粘包) and split packets (拆包).
#![warn(missing_docs)]

pub mod commands;
