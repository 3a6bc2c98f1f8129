public enum BackupPlaceholder {}
