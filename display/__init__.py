"""The hall display: the /display page, the spoken announcements and the PC display agent.

Pure parts: announcement (the sentence), playlist (the queue rules), profile (what a screen
shows), wav (chime and checks). Adapters: speech (the one pyttsx3 worker and its WAV cache),
service (wiring for the server), web (the blueprint), agent and cli (the commands).
"""
