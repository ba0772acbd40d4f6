//! A valid PNG image made in code, for the `client` steps to download.
//!
//! The document's client downloads `nginx-logo.png` from a web server on the
//! internet; ours downloads a picture from a server on loopback, so the
//! lesson needs no network and knows exactly which bytes were served.
//!
//! A PNG file is a signature and a list of chunks (length, type, data,
//! CRC-32). The pixels go in an `IDAT` chunk as a zlib stream; zlib allows
//! "stored" blocks that hold bytes uncompressed, which is all we need here.
//! The two checksums, CRC-32 and Adler-32, are a few lines each.

/// The picture's width and height in pixels.
pub const WIDTH: u32 = 160;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 120;

/// Every PNG file starts with these 8 bytes.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// The picture: a colour gradient with a dark ring, 160×120 RGB, about
/// 57 KB. Bigger than one `recv(8196)`, which is the point of
/// `demo client-broken`; small enough to travel in one loopback segment.
pub fn picture() -> Vec<u8> {
    let mut rows = Vec::with_capacity((HEIGHT * (1 + 3 * WIDTH)) as usize);
    for y in 0..HEIGHT {
        rows.push(0); // filter type 0: the row's bytes are as they are
        for x in 0..WIDTH {
            rows.extend_from_slice(&pixel(x, y));
        }
    }
    encode_rgb(WIDTH, HEIGHT, &rows)
}

fn pixel(x: u32, y: u32) -> [u8; 3] {
    let (dx, dy) = (x as i64 - 80, y as i64 - 60);
    let r2 = dx * dx + dy * dy;
    if (35 * 35..45 * 45).contains(&r2) {
        return [20, 30, 40];
    }
    // Channels between 64 and 255: no byte of the picture is a \r or \n.
    [
        (64 + x * 191 / WIDTH) as u8,
        (64 + y * 191 / HEIGHT) as u8,
        200,
    ]
}

/// Encode `rows` (each row: a filter byte, then 3 bytes per pixel) as a PNG.
pub fn encode_rgb(width: u32, height: u32, rows: &[u8]) -> Vec<u8> {
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // 8 bits per channel, colour type 2 (RGB), deflate, filtering, no interlace.
    header.extend_from_slice(&[8, 2, 0, 0, 0]);

    let mut png = SIGNATURE.to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &zlib_stored(rows));
    chunk(&mut png, b"IEND", &[]);
    png
}

/// One chunk: length, type, data, then the CRC-32 of type and data.
fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).expect("a chunk holds less than 4 GiB");
    png.extend_from_slice(&len.to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&[kind.as_slice(), data].concat());
    png.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    // 0x78 0x01: deflate with a 32 KiB window, no dictionary, header check OK.
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(usize::from(u16::MAX)).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]); // one empty final block
    }
    while let Some(block) = blocks.next() {
        let last = blocks.peek().is_none();
        let len = u16::try_from(block.len()).expect("blocks are at most 65535 bytes");
        out.push(u8::from(last)); // BFINAL bit, BTYPE 00 = stored
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// CRC-32 (the polynomial of PNG, zip and Ethernet), bit by bit.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Adler-32, the checksum at the end of a zlib stream.
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % MOD;
        b = (b + a) % MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn the_picture_is_a_well_formed_png() {
        let png = picture();
        assert!(png.starts_with(&SIGNATURE));
        assert!(png.len() > 8196 && png.len() < 64 * 1024, "{}", png.len());
        // IHDR right after the signature, IEND with its fixed CRC at the end.
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), WIDTH);
        assert!(png.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]));
        // The picture has no blank line in it (see `download`).
        assert!(!png.windows(4).any(|w| w == b"\r\n\r\n"));
    }

    #[test]
    fn stored_blocks_split_at_65535_bytes() {
        let data = vec![7u8; 70_000];
        let z = zlib_stored(&data);
        // header 2 + two block headers of 5 + data + adler 4
        assert_eq!(z.len(), 2 + 5 + 5 + 70_000 + 4);
        assert_eq!(z[2], 0); // first block: not final
        assert_eq!(z[2 + 5 + 65_535], 1); // second block: final
    }
}
