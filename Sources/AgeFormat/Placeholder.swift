public enum AgeFormatPlaceholder {}
