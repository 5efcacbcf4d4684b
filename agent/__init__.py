"""idsynth.agent"""
