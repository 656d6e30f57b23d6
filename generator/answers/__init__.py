"""The answers contract (format privacy-policy-answers/1): schema, loader and typed model."""
from .loader import AnswerError, LoadResult, load_answers, load_answers_file, load_document
from .model import FORMAT, Answers, to_dict

__all__ = ["FORMAT", "AnswerError", "Answers", "LoadResult", "load_answers", "load_answers_file", "load_document", "to_dict"]
