// A QR code of a text drawn in the terminal (libqrencode), for `plexauth
// login`: a phone camera opens the hosted login page from it.
#pragma once

#include <string>

namespace cli {

enum class QrStyle { unicode, ascii };

// Whether this program was built with libqrencode.
bool qr_available();

// The QR code of `text` (error correction level L, 8-bit mode) with a quiet
// zone of 4 modules, as lines ending in '\n'. Drawn for a terminal with a
// dark background: the light modules are drawn, the dark ones left blank.
//   unicode: two module rows per line with the half blocks U+2580/U+2584 and
//            the full block U+2588 (one column per module);
//   ascii:   one module row per line, "##" per light module (two columns,
//            so that modules stay roughly square).
// Empty when libqrencode is missing or cannot encode the text.
std::string qr_text(const std::string &text, QrStyle style);

}  // namespace cli
