// What importing files says: why a file was skipped, why one cannot be read, which item already holds it.
import type { Translation } from './types.ts';

export const en = {
  // The import as a whole (electron/archive/ingest/importer.ts).
  'import.nothingNamed': 'Name at least one file or folder to import.',
  'import.cancelled': 'The import was cancelled.',
  'import.cancelledAfter': {
    one: 'The import was cancelled; the {{count}} file imported before that is in the archive.',
    other: 'The import was cancelled; the {{count}} files imported before that are in the archive.',
  },
  // One literal, not a sum of two: the compiler reads the holes from the literal type.
  'import.diskFull':
    'The disk is full (the disk holding the archive, {{dir}}): the import stopped, and the files it was adding when the disk filled were not added. Free some space on that disk (or move the archive to a larger one), then import again: {{kept}}.',
  'import.diskFull.nothingAdded': 'nothing from this import was added',
  'import.diskFull.keptBefore': {
    one: 'the {{count}} file imported before is kept and will be recognised as already in the archive',
    other: 'the {{count}} files imported before are kept and will be recognised as already in the archive',
  },
  'import.batchDiskFull': 'The disk is full; the files of this batch were not imported and the archive is unchanged by them.',
  'import.busy':
    'The archive is busy: another program has been writing to it for minutes, so this import stopped (the files imported before are kept). Import again once it has finished.',

  // One file's outcome: why it was skipped, which item already holds it.
  'import.skip.empty': 'it is empty (0 bytes)',
  'import.skip.unrecognised':
    'Sijil does not recognise its content (not a video, audio, image, PDF, web page or text); use --kind document to keep it anyway',
  'import.skip.error': '{{error}}',
  'import.duplicate': 'already in the archive as {{id}} "{{title}}"',
  'import.duplicateInTrash': 'already in the archive as {{id}} "{{title}}" (in the trash)',

  // What the walk through the named files and folders leaves out (ingest/walk.ts).
  'import.skip.brokenLink': 'it is a link to something that does not exist',
  'import.skip.missing': 'it does not exist',
  'import.skip.linkLoop': 'it is a link that points back to itself',
  'import.skip.permissionDenied': 'permission denied',
  'import.skip.unreadable': 'it cannot be read ({{error}})',
  'import.skip.thisArchive': 'it is the folder of this archive itself: its files are already in it',
  'import.skip.insideArchive': 'it is inside this archive\u2019s own folder (its database or its store), which holds no files to import',
  'import.skip.folderWalked': 'this folder was already walked (a link loops back to it)',
  'import.skip.otherArchive':
    'it is the folder of another Sijil archive: export a bundle from that archive and import the bundle, so its items come with their records and custody',
  'import.skip.folderUnreadable': 'the folder cannot be read ({{code}})',
  'import.skip.folderPermissionDenied': 'the folder cannot be read: permission denied',
  'import.skip.notRegular': 'it is not a regular file (a device, socket or pipe)',
  'import.skip.nameNotUnicode': 'its name is not Unicode text (it was written on a system with another encoding); rename it, then import it',
  'import.skip.lonelySidecar': 'it is a yt-dlp .info.json with no video beside it; import it together with its video',

  // Files that are not what they claim to be (ingest/ytdlp.ts, ingest/pdf.ts).
  'import.ytdlp.notInfo': 'This file is not a yt-dlp .info.json file: {{why}}.',
  'import.ytdlp.notJson': 'it is not JSON',
  'import.ytdlp.notObject': 'it is not a JSON object',
  'import.ytdlp.noId': 'it has no "id"',
  'import.ytdlp.noSource': 'it names no extractor and no web page',
  'import.ytdlp.notOne': 'it does not look like one',
  'import.pdfDamaged': 'This PDF file is damaged or not a PDF and cannot be read ({{error}}).',

  // Copying a file into the archive's store (electron/archive/store.ts).
  'import.notSha256': '"{{hash}}" is not a SHA-256 hash.',
  'import.file.unnamed': 'the file',
  'import.file.missing': '{{file}} does not exist.',
  'import.file.permissionDenied': '{{file}} cannot be read: permission denied.',
  'import.file.isFolder': '{{file}} is a folder, not a file.',
  'import.file.notRegular': '{{file}} is not a regular file (a device, socket or pipe); only files can be added.',
  'import.file.diskFull': 'The disk is full: {{file}} could not be copied into the archive. Free some space on the disk holding the archive, then try again.',
  'import.file.copyFailed': '{{file}} could not be copied into the archive: {{error}}.',
} as const;

export const ar: Translation<typeof en> = {
  'import.nothingNamed': 'حدّد ملفًا أو مجلدًا واحدًا على الأقل لاستيراده.',
  'import.cancelled': 'أُلغي الاستيراد.',
  'import.cancelledAfter': {
    zero: 'أُلغي الاستيراد، ولم يُستورد أي ملف قبل ذلك.',
    one: 'أُلغي الاستيراد؛ الملف الذي استُورد قبل ذلك محفوظ في الأرشيف.',
    two: 'أُلغي الاستيراد؛ الملفان اللذان استُوردا قبل ذلك محفوظان في الأرشيف.',
    few: 'أُلغي الاستيراد؛ ما استُورد قبل ذلك ({{count}} ملفات) محفوظ في الأرشيف.',
    many: 'أُلغي الاستيراد؛ ما استُورد قبل ذلك ({{count}} ملفًا) محفوظ في الأرشيف.',
    other: 'أُلغي الاستيراد؛ ما استُورد قبل ذلك ({{count}} ملف) محفوظ في الأرشيف.',
  },
  'import.diskFull':
    'القرص ممتلئ (القرص الذي يحوي الأرشيف، {{dir}}): توقف الاستيراد، ولم تُضَف الملفات التي كان يضيفها حين امتلأ القرص. ' +
    'أفرغ بعض المساحة على ذلك القرص (أو انقل الأرشيف إلى قرص أكبر)، ثم أعد الاستيراد: {{kept}}.',
  'import.diskFull.nothingAdded': 'لم يُضَف شيء من هذا الاستيراد',
  'import.diskFull.keptBefore': {
    zero: 'لم يُضَف شيء من هذا الاستيراد',
    one: 'الملف الذي استُورد قبل ذلك محفوظ، وسيُعرف أنه موجود في الأرشيف من قبل',
    two: 'الملفان اللذان استُوردا قبل ذلك محفوظان، وسيُعرف أنهما موجودان في الأرشيف من قبل',
    few: 'الملفات التي استُوردت قبل ذلك ({{count}} ملفات) محفوظة، وسيُعرف أنها موجودة في الأرشيف من قبل',
    many: 'الملفات التي استُوردت قبل ذلك ({{count}} ملفًا) محفوظة، وسيُعرف أنها موجودة في الأرشيف من قبل',
    other: 'الملفات التي استُوردت قبل ذلك ({{count}} ملف) محفوظة، وسيُعرف أنها موجودة في الأرشيف من قبل',
  },
  'import.batchDiskFull': 'القرص ممتلئ؛ لم تُستورد ملفات هذه الدفعة، ولم يتغير الأرشيف بسببها.',
  'import.busy':
    'الأرشيف مشغول: برنامج آخر يكتب فيه منذ دقائق، فتوقف هذا الاستيراد (الملفات التي استُوردت قبل ذلك محفوظة). أعد الاستيراد حين ينتهي.',

  'import.skip.empty': 'الملف فارغ (حجمه صفر بايت)',
  'import.skip.unrecognised':
    'لا يتعرّف سِجِل على محتواه (ليس فيديو ولا صوتًا ولا صورة ولا PDF ولا صفحة ويب ولا نصًّا)؛ استخدم --kind document للاحتفاظ به على أي حال',
  'import.skip.error': '{{error}}',
  'import.duplicate': 'موجود في الأرشيف من قبل، في المادة {{id}} «{{title}}»',
  'import.duplicateInTrash': 'موجود في الأرشيف من قبل، في المادة {{id}} «{{title}}» (في سلة المحذوفات)',

  'import.skip.brokenLink': 'رابط يشير إلى شيء غير موجود',
  'import.skip.missing': 'غير موجود',
  'import.skip.linkLoop': 'رابط يشير إلى نفسه',
  'import.skip.permissionDenied': 'لا إذن بقراءته',
  'import.skip.unreadable': 'تتعذر قراءته ({{error}})',
  'import.skip.thisArchive': 'هذا مجلد الأرشيف نفسه: ملفاته موجودة فيه أصلًا',
  'import.skip.insideArchive': 'يقع داخل مجلد هذا الأرشيف نفسه (قاعدة بياناته أو مخزنه)، ولا ملفات فيه للاستيراد',
  'import.skip.folderWalked': 'سبق المرور على هذا المجلد (رابطٌ يعود إليه في حلقة)',
  'import.skip.otherArchive':
    'هذا مجلد أرشيف آخر من أرشيفات سِجِل: صدّر حزمة من ذلك الأرشيف واستورد الحزمة، لتأتي موادّه مع بياناتها وسجل حيازتها',
  'import.skip.folderUnreadable': 'تتعذر قراءة المجلد ({{code}})',
  'import.skip.folderPermissionDenied': 'تتعذر قراءة المجلد: لا يملك سِجِل إذنًا بذلك',
  'import.skip.notRegular': 'ليس ملفًا عاديًا (بل جهاز أو مقبس أو أنبوب)',
  'import.skip.nameNotUnicode': 'اسمه ليس نصًا بترميز يونيكود (كُتب على نظام بترميز آخر)؛ أعد تسميته ثم استورده',
  'import.skip.lonelySidecar': 'ملف .info.json من yt-dlp لا فيديو بجانبه؛ استورده مع الفيديو الذي يصفه',

  'import.ytdlp.notInfo': 'هذا الملف ليس ملف .info.json من yt-dlp: {{why}}.',
  'import.ytdlp.notJson': 'ليس بصيغة JSON',
  'import.ytdlp.notObject': 'ليس كائن JSON',
  'import.ytdlp.noId': 'لا يحوي الحقل "id"',
  'import.ytdlp.noSource': 'لا يذكر أداة استخراج ولا صفحة ويب',
  'import.ytdlp.notOne': 'لا يشبه ملفات yt-dlp',
  'import.pdfDamaged': 'ملف PDF هذا تالف أو ليس PDF أصلًا، ولا يمكن قراءته ({{error}}).',

  'import.notSha256': '"{{hash}}" ليست بصمة SHA-256.',
  'import.file.unnamed': 'الملف',
  'import.file.missing': '{{file}} غير موجود.',
  'import.file.permissionDenied': 'تتعذّر قراءة {{file}}: لا يملك سِجِل إذنًا بذلك.',
  'import.file.isFolder': '{{file}} مجلد وليس ملفًا.',
  'import.file.notRegular': '{{file}} ليس ملفًا عاديًا (بل جهاز أو مقبس أو أنبوب)؛ لا تُضاف إلا الملفات.',
  'import.file.diskFull': 'القرص ممتلئ: تعذّر نسخ {{file}} إلى الأرشيف. أفرغ بعض المساحة على القرص الذي يحوي الأرشيف، ثم أعد المحاولة.',
  'import.file.copyFailed': 'تعذّر نسخ {{file}} إلى الأرشيف: {{error}}.',
};
