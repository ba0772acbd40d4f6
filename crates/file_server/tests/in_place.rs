//! The decoder holds a frame once: its buffer is sized for the frame as
//! soon as the length is known, and becomes the frame when it is complete.
//! Counted by an allocator that tracks this thread's live bytes and their
//! peak (a copy of the frame, or a buffer grown by doubling, would show).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use file_server::decoder::FrameDecoder;
use struct_header_fix::frame::MESSAGE_CAP;

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn track(grew: usize, shrank: usize) {
    let _ = LIVE.try_with(|live| {
        let now = (live.get() + grew).saturating_sub(shrank);
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

#[allow(unsafe_code)]
// SAFETY: every call is passed on to the system allocator unchanged; the
// counting touches only const-initialised thread-local cells.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size(), 0);
        // SAFETY: the caller's layout, as GlobalAlloc::alloc requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(0, layout.size());
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Old and new blocks are both alive while the bytes are copied.
        track(new_size, 0);
        // SAFETY: as the caller's, passed on.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        track(0, layout.size());
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_frame_is_held_once_while_it_arrives_and_when_it_is_decoded() {
    const LEN: usize = 8 * 1024 * 1024;
    let piece = vec![b'x'; 8 * 1024];
    let mut decoder = FrameDecoder::default();
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    decoder.feed(&(LEN as i32).to_le_bytes());
    let mut frame = None;
    // What `FrameReader` does: decode, and feed another read if none yet.
    for _ in 0..LEN / piece.len() {
        assert!(decoder.decode(MESSAGE_CAP).unwrap().is_none());
        decoder.feed(&piece);
        if let Some(whole) = decoder.decode(MESSAGE_CAP).unwrap() {
            frame = Some(whole);
        }
    }
    let frame = frame.expect("the whole frame");
    assert_eq!(frame.len(), LEN);
    let peak = PEAK.with(Cell::get) - base;
    assert!(
        peak < LEN + LEN / 16,
        "decoding an {LEN}-byte frame held {peak} bytes at its peak"
    );
}
