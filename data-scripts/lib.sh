# shellcheck shell=bash
# data-scripts/lib.sh — functions shared by the download-* scripts. Source it; do not run it.
#
# Layout (everything under WSSS4J_HOME, default ~/.cache/wsss4j):
#   data/downloads/<archive>            verified archives, each with <archive>.verified
#   data/raw/...                        archives unpacked as their providers ship them
#   data/voc, data/coco                 trees prepared by `wsss4j prepare` (what the kit reads)
#   weights/<model>/model.safetensors   pretrained weights
#
# A download goes to <file>.part (curl -C - resumes it), is verified, and only then renamed to
# <file>; "<algo> <checksum> <size>" is written to <file>.verified. A later run that finds a
# matching stamp neither downloads nor hashes again. A file that fails its checksum is moved to
# <file>.corrupt and the script stops with the reason.

WS_HOME="${WSSS4J_HOME:-$HOME/.cache/wsss4j}"
WS_DATA="$WS_HOME/data"
WS_DOWNLOADS="$WS_DATA/downloads"
WS_RAW="$WS_DATA/raw"
WS_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

ws_log() { printf '[%s] %s\n' "${WS_SCRIPT:-wsss4j}" "$*" >&2; }

ws_die() {
    printf '[%s] ERROR: %s\n' "${WS_SCRIPT:-wsss4j}" "$*" >&2
    exit 1
}

# ws_size FILE -> size in bytes (GNU or BSD stat)
ws_size() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }

# ws_human BYTES -> "1.9 GB"
ws_human() { awk -v b="$1" 'BEGIN { split("B KB MB GB TB", u); i = 1; while (b >= 1000 && i < 5) { b /= 1000; i++ } printf (i == 1 ? "%d %s" : "%.1f %s"), b, u[i] }'; }

# ws_hash ALGO FILE -> hex digest (md5 or sha256)
ws_hash() {
    case "$1" in
        md5)
            if command -v md5sum >/dev/null; then md5sum "$2" | cut -d' ' -f1; else md5 -q "$2"; fi ;;
        sha256)
            if command -v sha256sum >/dev/null; then sha256sum "$2" | cut -d' ' -f1; else shasum -a 256 "$2" | cut -d' ' -f1; fi ;;
        *) ws_die "unknown checksum algorithm '$1'" ;;
    esac
}

# ws_verify FILE ALGO EXPECTED -> 0 when the digest matches; otherwise says why and returns 1
ws_verify() {
    local file="$1" algo="$2" expected="$3" actual
    if [ ! -f "$file" ]; then
        ws_log "$file: missing"
        return 1
    fi
    ws_log "checking the $algo of $file ($(ws_human "$(ws_size "$file")")) ..."
    actual="$(ws_hash "$algo" "$file")"
    if [ "$actual" != "$expected" ]; then
        ws_log "checksum mismatch for $file: expected $algo $expected, got $actual ($(ws_size "$file") bytes)"
        return 1
    fi
}

# ws_stamp_ok FILE ALGO EXPECTED -> 0 when FILE.verified records this checksum and FILE's current size
ws_stamp_ok() {
    [ -f "$1" ] && [ -f "$1.verified" ] && [ "$(cat "$1.verified")" = "$2 $3 $(ws_size "$1")" ]
}

ws_write_stamp() { printf '%s %s %s\n' "$2" "$3" "$(ws_size "$1")" > "$1.verified"; }

# ws_fetch URL DEST ALGO EXPECTED [SIZE]
#   Downloads URL to DEST unless a matching DEST.verified stamp exists; resumes DEST.part; refuses a
#   file whose ALGO digest is not EXPECTED. SIZE (bytes), when known, is only used in messages and to
#   skip curl when DEST.part is already complete.
ws_fetch() {
    local url="$1" dest="$2" algo="$3" expected="$4" size="${5:-}"
    local part="$dest.part" rc=0
    if ws_stamp_ok "$dest" "$algo" "$expected"; then
        ws_log "$dest: already downloaded and verified"
        return 0
    fi
    mkdir -p "$(dirname "$dest")"
    if [ -f "$dest" ]; then
        # Present but never verified here (copied by hand, or a stamp from another checksum).
        if ws_verify "$dest" "$algo" "$expected"; then
            ws_write_stamp "$dest" "$algo" "$expected"
            return 0
        fi
        ws_die "$dest exists but is not the published file ($algo mismatch); delete or move it, then re-run"
    fi
    if [ -n "$size" ] && [ -f "$part" ] && [ "$(ws_size "$part")" = "$size" ]; then
        ws_log "$part is complete ($(ws_human "$size")); not downloading again"
    else
        ws_log "downloading $url"
        ws_log "  -> $dest${size:+ ($(ws_human "$size"))}; if interrupted, re-run: it resumes from $part"
        curl -L --fail --retry 3 --retry-delay 5 -C - --progress-bar -o "$part" "$url" || rc=$?
        if [ "$rc" -eq 33 ]; then
            ws_log "the server cannot resume this download; starting it again"
            rm -f "$part"
            rc=0
            curl -L --fail --retry 3 --retry-delay 5 --progress-bar -o "$part" "$url" || rc=$?
        fi
        if [ "$rc" -ne 0 ]; then
            # A server answers 416 to a resume of a complete file: check it before giving up.
            if [ -f "$part" ] && [ "$(ws_hash "$algo" "$part")" = "$expected" ]; then
                ws_log "$part was already complete"
            else
                ws_die "download of $url failed (curl exit $rc); $part is kept: re-run to resume"
            fi
        fi
    fi
    if [ -n "$size" ] && [ "$(ws_size "$part")" -lt "$size" ]; then
        ws_die "refusing $part: $(ws_size "$part") of $size bytes (partial download); re-run to resume"
    fi
    if ! ws_verify "$part" "$algo" "$expected"; then
        mv -f "$part" "$dest.corrupt"
        ws_die "refusing $url: the download does not match the published $algo (corrupt, partial or a different file); moved to $dest.corrupt. Re-run to download it again."
    fi
    mv -f "$part" "$dest"
    ws_write_stamp "$dest" "$algo" "$expected"
    ws_log "$dest: verified ($algo $expected)"
}

# ws_extract ARCHIVE DESTDIR -> unpacks ARCHIVE (tar, tgz or zip) into DESTDIR once; a marker
#   DESTDIR/.extracted-<archive name> holding the archive's stamp skips it on later runs.
ws_extract() {
    local archive="$1" destdir="$2" marker
    marker="$destdir/.extracted-$(basename "$archive")"
    mkdir -p "$destdir"
    if [ -f "$marker" ] && [ -f "$archive.verified" ] && [ "$(cat "$marker")" = "$(cat "$archive.verified")" ]; then
        ws_log "$archive: already unpacked into $destdir"
        return 0
    fi
    [ -f "$archive.verified" ] || ws_die "$archive has no .verified stamp; refusing to unpack an unverified archive"
    ws_log "unpacking $archive into $destdir ..."
    case "$archive" in
        *.tar) tar -xf "$archive" -C "$destdir" ;;
        *.tgz | *.tar.gz) tar -xzf "$archive" -C "$destdir" ;;
        *.zip) unzip -q -o "$archive" -d "$destdir" ;;
        *) ws_die "do not know how to unpack $archive" ;;
    esac
    cp "$archive.verified" "$marker"
}

# ws_archive_done ARCHIVE DESTDIR -> 0 when ARCHIVE was unpacked into DESTDIR (even if since deleted)
ws_archive_done() { [ -f "$2/.extracted-$(basename "$1")" ]; }

# ws_drop_archive ARCHIVE -> deletes a verified, unpacked archive when WSSS4J_DELETE_ARCHIVES=1
ws_drop_archive() {
    if [ "${WSSS4J_DELETE_ARCHIVES:-0}" = "1" ]; then
        ws_log "WSSS4J_DELETE_ARCHIVES=1: removing $1"
        rm -f "$1"
    fi
}

# ws_expect_files DIR PATTERN COUNT -> fails unless DIR holds exactly COUNT files matching PATTERN
ws_expect_files() {
    local n
    [ -d "$1" ] || ws_die "$1: folder missing after unpacking"
    n="$(find "$1" -maxdepth 1 -type f -name "$2" | wc -l | tr -d ' ')"
    [ "$n" = "$3" ] || ws_die "$1: $n files named $2, expected $3 (incomplete unpacking? delete $1 and re-run)"
    ws_log "$1: $n files named $2, as expected"
}

# ws_note_files DIR PATTERN COUNT -> like ws_expect_files, but a different count is only a warning
#   (for counts no published source confirms; the checksum already vouches for the archive)
ws_note_files() {
    local n
    n="$(find "$1" -maxdepth 1 -type f -name "$2" | wc -l | tr -d ' ')"
    if [ "$n" = "$3" ]; then
        ws_log "$1: $n files named $2, as expected"
    else
        ws_log "WARNING: $1: $n files named $2, expected about $3"
    fi
}

# ws_expect_lines FILE COUNT -> fails unless FILE has COUNT non-empty lines
ws_expect_lines() {
    local n
    [ -f "$1" ] || ws_die "$1: missing after unpacking"
    n="$(grep -c . "$1" || true)"
    [ "$n" = "$2" ] || ws_die "$1: $n lines, expected $2"
}

# ws_need_space DIR BYTES -> fails when the file system of DIR has less than BYTES free
ws_need_space() {
    local dir="$1" need="$2" free
    mkdir -p "$dir"
    free=$(( $(df -Pk "$dir" | awk 'NR == 2 { print $4 }') * 1024 ))
    if [ "$free" -lt "$need" ]; then
        ws_die "$dir: $(ws_human "$free") free, this step needs about $(ws_human "$need"); free some space or set WSSS4J_HOME elsewhere"
    fi
}

# ws_launcher -> path of the ./wsss4j launcher (WSSS4J_LAUNCHER overrides)
ws_launcher() {
    local l="${WSSS4J_LAUNCHER:-$WS_LIB_DIR/../wsss4j}"
    [ -x "$l" ] || ws_die "$l not found or not executable: build the kit first (see README.md), then re-run this script; the downloads are kept"
    printf '%s\n' "$l"
}

# ws_hf_lfs_sha256 FILENAME < hub-api-json -> the LFS sha256 of FILENAME from
#   https://huggingface.co/api/models/<repo>/revision/<rev>?blobs=true (no jq needed)
ws_hf_lfs_sha256() {
    tr -d '\n' | grep -o "\"rfilename\":\"$1\"[^}]*\"sha256\":\"[0-9a-f]\{64\}\"" | grep -o '[0-9a-f]\{64\}' | tail -n 1
}
