"""idsynth.extraction"""
