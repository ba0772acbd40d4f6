//! `ip`: an IPv4 address (IP地址) is one 32-bit number.
//!
//! Dotted decimal (点分十进制) is only the way people write it down: the
//! number's four bytes, most significant first, each as a decimal from 0 to
//! 255. Document 000 (§网络基础, "1.什么是ip地址") shows `100.4.5.6` as
//! `01100100.00000100.00000101.00000110`; this module does the same sum in
//! both directions.
//!
//! The parser is written by hand on purpose, so a student can see every
//! rule dotted decimal has. Real programs use `"1.2.3.4".parse::<Ipv4Addr>()`,
//! and the tests check that the two agree.

use std::error::Error;
use std::fmt;

use classroom::narrate;

/// Document 000's example address, `100.4.5.6`.
pub const DOC_EXAMPLE: u32 = u32::from_be_bytes([100, 4, 5, 6]);

// ANCHOR: parse
/// Parse dotted decimal (`100.4.5.6`) into the 32-bit number it stands for.
///
/// Each of the four parts is one byte. The first part is the most
/// significant byte, so every new part shifts what we have so far 8 bits to
/// the left and fills the freed low byte.
pub fn parse(text: &str) -> Result<u32, AddrError> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return Err(AddrError::new(text, Problem::PartCount(parts.len())));
    }
    let mut value: u32 = 0;
    for (index, part) in parts.into_iter().enumerate() {
        let octet = parse_octet(part).map_err(|why| {
            let problem = Problem::Octet {
                position: index + 1,
                text: part.to_owned(),
                why,
            };
            AddrError::new(text, problem)
        })?;
        value = (value << 8) | u32::from(octet);
    }
    Ok(value)
}
// ANCHOR_END: parse

// ANCHOR: octet
/// One part of dotted decimal: decimal digits only, no leading zero, at
/// most 255 (the largest number 8 bits hold).
fn parse_octet(part: &str) -> Result<u8, Why> {
    if part.is_empty() {
        return Err(Why::Empty);
    }
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Why::NotDecimal);
    }
    if part.len() > 1 && part.starts_with('0') {
        // `010` is 10 to some programs and 8 (octal) to others: refuse it,
        // as Rust's own `Ipv4Addr` parser does.
        return Err(Why::LeadingZero);
    }
    let mut value: u32 = 0;
    for digit in part.bytes() {
        // Decimal: each digit moves the ones so far one place left (* 10).
        value = value * 10 + u32::from(digit - b'0');
        // Stopping as soon as we pass 255 also means a long run of digits
        // can never overflow `value`.
        if value > 255 {
            return Err(Why::TooBig);
        }
    }
    u8::try_from(value).map_err(|_| Why::TooBig)
}
// ANCHOR_END: octet

// ANCHOR: show
/// The four bytes, most significant first: the order dotted decimal writes
/// them, and the order they travel on the wire (network byte order).
pub fn octets(addr: u32) -> [u8; 4] {
    addr.to_be_bytes()
}

/// `100.4.5.6`: each byte as a decimal.
pub fn dotted(addr: u32) -> String {
    octets(addr).map(|o| o.to_string()).join(".")
}

/// `01100100.00000100.00000101.00000110`: each byte as 8 binary digits,
/// leading zeros kept so every byte is the same width.
pub fn binary(addr: u32) -> String {
    octets(addr).map(|o| format!("{o:08b}")).join(".")
}
// ANCHOR_END: show

/// `100*2^24 + 4*2^16 + 5*2^8 + 6`: how the four bytes add up to one number.
pub fn place_values(addr: u32) -> String {
    let [a, b, c, d] = octets(addr);
    format!("{a}*2^24 + {b}*2^16 + {c}*2^8 + {d}")
}

/// Which bits of the 32 an octet holds: octet 1 holds bits 31-24.
pub fn bit_range(position: usize) -> String {
    let high = 32 - 8 * position.clamp(1, 4) + 7;
    format!("bits {high}-{}", high - 7)
}

/// The `ip` tool: print `addr` in binary, octet by octet, and as one number.
pub fn explain(addr: u32) {
    println!("address      {}", dotted(addr));
    println!("binary       {}", binary(addr));
    for (index, octet) in octets(addr).into_iter().enumerate() {
        let position = index + 1;
        let note = match position {
            1 => " (most significant)",
            4 => " (least significant)",
            _ => "",
        };
        println!(
            "octet {position}      {octet:>3} = {octet:08b} = 0x{octet:02x}   {}{note}",
            bit_range(position)
        );
    }
    println!("one number   {addr} = {}", place_values(addr));
    println!(
        "on the wire  {} (network byte order, 网络字节序: octet 1 first)",
        classroom::bytes::hex(&octets(addr))
    );
    narrate("an IPv4 address (IP地址) is one 32-bit number;");
    narrate("dotted decimal (点分十进制) writes its 4 bytes as 4 decimals, 0-255 each");
}

/// Why a text is not an IPv4 address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrError {
    input: String,
    problem: Problem,
}

/// What is wrong with the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not exactly four dot-separated parts.
    PartCount(usize),
    /// One part is wrong.
    Octet {
        /// 1 for the first part.
        position: usize,
        /// The part as written.
        text: String,
        /// What is wrong with it.
        why: Why,
    },
}

/// What is wrong with one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Nothing between two dots.
    Empty,
    /// Something other than the digits 0-9.
    NotDecimal,
    /// `01`: ambiguous, some tools read it as octal.
    LeadingZero,
    /// More than 255, which does not fit in one byte.
    TooBig,
}

impl AddrError {
    fn new(input: &str, problem: Problem) -> Self {
        AddrError {
            input: input.to_owned(),
            problem,
        }
    }

    /// What is wrong, without the input.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an IPv4 address: ", self.input)?;
        match &self.problem {
            Problem::PartCount(n) => write!(
                f,
                "it has {n} part{}, dotted decimal has exactly 4",
                if *n == 1 { "" } else { "s" }
            ),
            Problem::Octet {
                position,
                text,
                why,
            } => {
                write!(f, "octet {position} ")?;
                match why {
                    Why::Empty => write!(f, "is empty"),
                    Why::NotDecimal => write!(f, "{text:?} is not a decimal number"),
                    Why::LeadingZero => write!(
                        f,
                        "{text:?} starts with 0 (some tools would read it as octal, 八进制)"
                    ),
                    Why::TooBig => write!(
                        f,
                        "{text:?} is more than 255, the largest number one byte (8 bits) holds"
                    ),
                }
            }
        }
    }
}

impl Error for AddrError {}
