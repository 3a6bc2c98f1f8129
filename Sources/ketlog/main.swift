import KetlogCLI

KetlogMain.run()
