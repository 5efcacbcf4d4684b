"""idsynth.cli"""
