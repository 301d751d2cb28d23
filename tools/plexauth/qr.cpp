#include "qr.h"

#include <memory>
#include <vector>

#ifdef PLEXAUTH_HAVE_QRENCODE
#include <qrencode.h>
#endif

namespace cli {

#ifdef PLEXAUTH_HAVE_QRENCODE

bool qr_available() { return true; }

std::string qr_text(const std::string &text, QrStyle style) {
  struct Free {
    void operator()(QRcode *q) const noexcept { QRcode_free(q); }
  };
  std::unique_ptr<QRcode, Free> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_L));
  if (!code || code->width <= 0) return "";
  constexpr int kQuiet = 4;
  const int n = code->width;
  const int size = n + 2 * kQuiet;
  // dark(x, y) over the code plus its quiet zone (light).
  auto dark = [&](int x, int y) {
    x -= kQuiet;
    y -= kQuiet;
    if (x < 0 || y < 0 || x >= n || y >= n) return false;
    return (code->data[y * n + x] & 1) != 0;
  };
  std::string out;
  if (style == QrStyle::ascii) {
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) out += dark(x, y) ? "  " : "##";
      out += '\n';
    }
    return out;
  }
  // Half blocks: the upper half of a cell is row y, the lower half row y+1.
  for (int y = 0; y < size; y += 2) {
    for (int x = 0; x < size; ++x) {
      const bool top_light = !dark(x, y);
      const bool bottom_light = y + 1 < size ? !dark(x, y + 1) : false;
      if (top_light && bottom_light)
        out += "\u2588";  // full block
      else if (top_light)
        out += "\u2580";  // upper half block
      else if (bottom_light)
        out += "\u2584";  // lower half block
      else
        out += ' ';
    }
    out += '\n';
  }
  return out;
}

#else

bool qr_available() { return false; }
std::string qr_text(const std::string &, QrStyle) { return ""; }

#endif

}  // namespace cli
