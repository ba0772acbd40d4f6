/*
 * A stand-in for Windows' bcryptprimitives.dll, used only to run the lessons'
 * Windows binaries under Wine (scripts/wine-demos.sh).
 *
 * Why it exists: Rust's standard library on Windows gets its random numbers
 * (the seed of HashMap's hasher) from ProcessPrng in bcryptprimitives.dll,
 * which every Windows since 8 has. Debian's Wine 8 has no such DLL, so every
 * Rust program stops at start-up with a missing-import error. This file
 * exports that one function and fills the buffer from RtlGenRandom
 * (SystemFunction036 in advapi32), which Wine does have. Real Windows never
 * sees this file.
 *
 * Built by scripts/wine-demos.sh:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *       bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

/* RtlGenRandom's real name, exported by advapi32. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        /* RtlGenRandom takes a ULONG length: feed it in pieces. */
        ULONG chunk = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
