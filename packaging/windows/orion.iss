; Inno Setup script for Orion on Windows. Built on Windows only, never on Linux, and not
; tested by Orion's CI (which runs on Linux):
;   1. make dist's PyInstaller step, on Windows:  pyinstaller packaging\orion.spec --distpath dist
;   2. an icon:  python packaging\make_archive.py --icon-only dist\orion.ico
;   3. iscc /DOrionVersion=<pyproject.toml's version> packaging\windows\orion.iss
; It installs dist\orion\ for the current user (no administrator rights), adds a Start menu
; entry and, if chosen, a desktop icon. The data folder (platformdirs' user data folder) is
; left alone on uninstall: the operator's shop data is never deleted by an uninstaller.

#ifndef OrionVersion
  #error Pass the version: iscc /DOrionVersion=0.1.0 orion.iss
#endif

[Setup]
AppId={{6C0A4F5E-3B7B-4F0E-9E57-0F5B7C0D3A11}
AppName=Orion
AppVersion={#OrionVersion}
AppPublisher=Orion
DefaultDirName={localappdata}\Programs\Orion
DefaultGroupName=Orion
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=orion-{#OrionVersion}-windows-setup
SetupIconFile=..\..\dist\orion.ico
UninstallDisplayIcon={app}\orion.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\orion\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Orion"; Filename: "{app}\orion.exe"
Name: "{group}\{cm:UninstallProgram,Orion}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Orion"; Filename: "{app}\orion.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\orion.exe"; Description: "{cm:LaunchProgram,Orion}"; Flags: nowait postinstall skipifsilent
