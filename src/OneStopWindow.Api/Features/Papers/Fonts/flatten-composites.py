#!/usr/bin/env python3
"""Decomposes the nested composite glyphs of a TrueType font into plain outlines.

PDFsharp 6.2.4's font subsetter copies the components of a composite glyph one level deep only. DejaVu builds many
Vietnamese letters from composites of composites (ẫ = a + [circumflex + tilde]), so those letters lost their upper
marks in the PDF ("Mẫu số" came out as "Mau so"). Every composite glyph that has a composite component is replaced
by its outline; nothing else changes. Run once per face with Debian's python3-fonttools:

    /usr/bin/python3 flatten-composites.py /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf DejaVuSans.ttf
"""
import sys

from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont


def main(source: str, target: str) -> None:
    font = TTFont(source)
    glyf = font["glyf"]
    glyphs = font.getGlyphSet()
    nested = [name for name in font.getGlyphOrder()
              if glyf[name].isComposite() and any(glyf[c.glyphName].isComposite() for c in glyf[name].components)]
    for name in nested:
        recording = DecomposingRecordingPen(glyphs)
        glyphs[name].draw(recording)
        pen = TTGlyphPen(None)
        recording.replay(pen)
        glyf[name] = pen.glyph()
    font.save(target)
    print(f"{target}: {len(nested)} nested composite glyphs decomposed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
