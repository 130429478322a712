#include "TerminalSink.h"

TerminalSink::TerminalSink(std::FILE *file)
    : m_file(file)
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

TerminalSink::~TerminalSink()
{
    const QByteArray rest = m_filter.finish().toUtf8();
    std::fwrite(rest.constData(), 1, static_cast<size_t>(rest.size()), m_file);
    std::fflush(m_file);
}

qint64 TerminalSink::readData(char *data, qint64 maxSize)
{
    Q_UNUSED(data)
    Q_UNUSED(maxSize)
    return -1;
}

qint64 TerminalSink::writeData(const char *data, qint64 size)
{
    const QString text = m_decoder.decode(QByteArrayView(data, size));
    const QByteArray clean = m_filter.feed(text).toUtf8();
    std::fwrite(clean.constData(), 1, static_cast<size_t>(clean.size()), m_file);
    std::fflush(m_file);
    return size;
}
