"""idsynth.audit"""
